package dev.jrsync.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.client.Filters;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.options.OptionException;
import dev.jrsync.options.OptionParser;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The client's {@link Filters} as the push and pull code use it, from a parsed command line. */
class FiltersTest {

    @Test
    void pushAndPullWriteTheCapturedLists() {
        Filters push = Filters.from(OptionParser.parse("-r", "--delete", "--exclude=*.o", "--include=/keep/",
                "-fP /prot", "src/", "rsync://h/m/"));
        assertEquals(RuleListCodecTest.PUSH, written(out -> push.sendToReceiver(out, 32, false)));
        Filters pull = Filters.from(OptionParser.parse("-r", "--exclude=*.o", "-fP /prot", "-fH hid", "-fS shw",
                "-fR rsk", "-f-p per", "-f- /x/", "rsync://h/m/", "dst/"));
        assertEquals(RuleListCodecTest.PULL, written(out -> pull.sendToSender(out, 32)));
    }

    @Test
    void viewsApplyEachSidesRules() {
        Filters f = Filters.from(OptionParser.parse("-r", "--delete", "-fP /prot", "-fH *.tmp", "--exclude=*.o",
                "src/", "dst/"));
        assertTrue(f.forScan().excluded(b("a.tmp"), false));
        assertTrue(f.forScan().excluded(b("a.o"), false));
        assertFalse(f.forScan().excluded(b("prot"), false));
        assertFalse(f.forDelete().excluded(b("a.tmp"), false));
        assertTrue(f.forDelete().excluded(b("a.o"), false));
        assertTrue(f.forDelete().excluded(b("prot"), false));
    }

    @Test
    void badRulesAndUnreadableFilesFailWithRsyncsExitCodes() {
        OptionException bad = assertThrows(OptionException.class,
                () -> Filters.from(OptionParser.parse("-r", "-f", "foo bar", "src/", "dst/")));
        assertEquals(ExitCode.SYNTAX, bad.exitCode());
        RsyncException missing = assertThrows(RsyncException.class,
                () -> Filters.from(OptionParser.parse("-r", "--exclude-from=/nonexistent/x", "src/", "dst/")));
        assertEquals(ExitCode.FILE_IO, missing.exitCode());
    }

    private static String written(Consumer<ProtocolOutput> send) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProtocolOutput out = new ProtocolOutput(bytes, 32);
        send.accept(out);
        out.flush();
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    /** A name's bytes, as the filters take them. */
    private static byte[] b(String name) {
        return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}

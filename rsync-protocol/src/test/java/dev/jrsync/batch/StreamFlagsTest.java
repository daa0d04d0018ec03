package dev.jrsync.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamFlagsTest {
    private static Options parse(String... args) {
        return OptionParser.parse(List.of(args));
    }

    @Test
    void archiveSetsTheBitsRsyncSetsForIt() {
        // -r, -o, -g, -l, -D and the --dirs that -r implies: bits 0-4 and 7
        assertEquals(0x9f, StreamFlags.of(parse("-a", "src/", "dest/")));
        // -H 5, -c 6, -z 8, -X 11, --inplace 12
        assertEquals(0x20 | 0x40 | 0x100 | 0x800 | 0x1000,
                StreamFlags.of(parse("-HczX", "--inplace", "src/", "dest/")));
        // --append also sets --inplace's bit, as rsync's append implies inplace
        assertEquals(0x1000 | 0x2000, StreamFlags.of(parse("--append", "src/", "dest/")));
        assertEquals(0x1000 | 0x4000, StreamFlags.of(parse("--append-verify", "src/", "dest/")));
    }

    @Test
    void theReaderTakesTheBatchsOptionsAndSaysWhichItChanged() {
        OptionsBuilder b = parse("-r", "--read-batch=B", "dest/").toBuilder();
        List<String> said = StreamFlags.apply(0x9f | 0x800, 31, b);
        assertEquals(List.of(
                "Setting the --owner (-o) option to match the batchfile.",
                "Setting the --group (-g) option to match the batchfile.",
                "Setting the --links (-l) option to match the batchfile.",
                "Setting the --devices (-D) option to match the batchfile.",
                "Setting the --xattrs (-X) option to match the batchfile."), said);
        Options o = b.build();
        assertTrue(o.owner() && o.group() && o.links() && o.devices() && o.xattrs() > 0);
        assertEquals(0x9f | 0x800, StreamFlags.of(o));
    }

    @Test
    void optionsTheBatchWasWrittenWithoutAreCleared() {
        OptionsBuilder b = parse("-av", "-c", "--read-batch=B", "dest/").toBuilder();
        assertEquals(List.of("Clearing the --checksum (-c) option to match the batchfile."),
                StreamFlags.apply(0x9f, 31, b));
        assertFalse(b.build().checksum());
    }

    @Test
    void anOlderProtocolChecksOnlyTheBitsItHad() {
        OptionsBuilder b = parse("-a", "--read-batch=B", "dest/").toBuilder();
        // protocol 28 knows bits 0-6: the --dirs bit (7) missing from the batch is no mismatch
        assertEquals(List.of(), StreamFlags.apply(0x1f, 28, b));
    }

    @Test
    void aBatchWrittenWithIconvCannotBeReadWithoutIt() {
        OptionsBuilder b = parse("-a", "--read-batch=B", "dest/").toBuilder();
        RsyncException e = assertThrows(RsyncException.class, () -> StreamFlags.apply(0x9f | 0x200, 30, b));
        assertEquals(ExitCode.SYNTAX, e.exitCode());
        assertEquals("Please specify the --iconv option to use this batch file.", e.getMessage());
    }
}

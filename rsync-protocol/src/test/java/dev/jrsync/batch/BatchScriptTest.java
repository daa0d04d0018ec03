package dev.jrsync.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchScriptTest {
    private static String script(List<String> raw, List<String> operands, String dest, List<String> rules,
                                 boolean nullEol, int protocol) {
        return new String(BatchScript.of("rsync", raw, operands, dest,
                rules.stream().map(r -> r.getBytes(StandardCharsets.UTF_8)).toList(), nullEol, protocol),
                StandardCharsets.UTF_8);
    }

    @Test
    void theWriteOptionBecomesTheReadOptionAndTheDestinationAParameter() {
        // as rsync 3.5.0 writes it for: rsync -av --write-batch=BATCH src/ dest/
        assertEquals("'rsync' '-av' --read-batch='BATCH' ${1:-'dest/'}\n",
                script(List.of("-av", "--write-batch=BATCH", "src/", "dest/"), List.of("src/", "dest/"), "dest/",
                        List.of(), false, 32));
        assertEquals("'rsync' '-a' --read-batch='B' ${1:-'d'}\n",
                script(List.of("-a", "--only-write-batch=B", "s", "d"), List.of("s", "d"), "d", List.of(), false, 32));
    }

    @Test
    void metacharactersStayQuoted() {
        // rsync's suite write-batch-quoting: a backtick in a path, and a '$(' before the '=' of a dash argument
        assertEquals("'rsync' '-a' --read-batch='B' ${1:-'d`>PWNED`x/'}\n",
                script(List.of("-a", "--write-batch=B", "src/", "d`>PWNED`x/"), List.of("src/", "d`>PWNED`x/"),
                        "d`>PWNED`x/", List.of(), false, 32));
        assertEquals("'rsync' '-a' --read-batch='B' '--' ${1:-'-x$(>PWNED2)=y/'}\n",
                script(List.of("-a", "--write-batch=B", "src/", "--", "-x$(>PWNED2)=y/"),
                        List.of("src/", "-x$(>PWNED2)=y/"), "-x$(>PWNED2)=y/", List.of(), false, 32));
        // a plain option name stays outside the quotes, its value inside; a quote is closed, escaped, reopened
        assertEquals("'rsync' --chmod='u+rwx' '--a b=c' '-a' --read-batch='it'\\''s' ${1:-'d'}\n",
                script(List.of("--chmod=u+rwx", "--a b=c", "-a", "--write-batch=it's", "s", "d"), List.of("s", "d"),
                        "d", List.of(), false, 32));
    }

    @Test
    void filterRulesComeFromAHereDocument() {
        assertEquals("'rsync' --filter='._-' '-a' --read-batch='B' ${1:-'d'} <<'#E#'\n- *.o\n+ keep/\n#E#\n",
                script(List.of("-a", "--exclude=*.o", "--include", "keep/", "--write-batch=B", "s", "d"),
                        List.of("s", "d"), "d", List.of("- *.o", "+ keep/"), false, 32));
        assertEquals("'rsync' --exclude-from='-' '-a' --read-batch='B' ${1:-'d'} <<'#E#'\n- x\0;\n#E#\n",
                script(List.of("-a", "-f", "- x", "--write-batch=B", "s", "d"), List.of("s", "d"), "d",
                        List.of("- x"), true, 28));
    }

    @Test
    void aRuleWithANewlineIsRefused() {
        RsyncException e = assertThrows(RsyncException.class, () -> script(List.of("--write-batch=B", "s", "d"),
                List.of("s", "d"), "d", List.of("- a\n#E#\nrm -rf ~"), false, 32));
        assertEquals(ExitCode.SYNTAX, e.exitCode());
    }
}

package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.ServerArgs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The remote-shell command line as rsync's {@code main.c:do_cmd} builds it, and the operands that ask for one. */
class RemoteShellTest {

    @Test
    void operandsNameAHostOnlyBeforeTheFirstSlash() {
        assertEquals(new RemoteShell.Target(null, "host", "dir/"), RemoteShell.Target.parse("host:dir/"));
        assertEquals(new RemoteShell.Target("me", "host", "/abs"), RemoteShell.Target.parse("me@host:/abs"));
        assertEquals(new RemoteShell.Target(null, "host", ""), RemoteShell.Target.parse("host:"));
        assertEquals(new RemoteShell.Target("u", "::1", "p"), RemoteShell.Target.parse("u@[::1]:p"));
        assertEquals(new RemoteShell.Target(null, "fe80::2", "x:y"), RemoteShell.Target.parse("[fe80::2]:x:y"));
        assertNull(RemoteShell.Target.parse("dir/with:colon"), "a colon after a slash is a local name");
        assertNull(RemoteShell.Target.parse("./a:b"));
        assertNull(RemoteShell.Target.parse(":path"), "no host");
        assertNull(RemoteShell.Target.parse("plain"));
    }

    @Test
    void theShellCommandIsSplitAsRsyncSplitsIt() {
        assertEquals(List.of("ssh", "-p", "2222", "-o", "Opt=a b"), RemoteShell.split("ssh  -p 2222 -o 'Opt=a b'"));
        assertEquals(List.of("sh", "-c", "it's"), RemoteShell.split("sh -c \"it's\""));
        assertEquals(List.of("a'b"), RemoteShell.split("'a''b'"), "a doubled quote inside quotes is the quote");
        RsyncException open = assertThrows(RsyncException.class, () -> RemoteShell.split("ssh 'unclosed"));
        assertEquals(ExitCode.SYNTAX, open.exitCode());
        assertTrue(open.getMessage().contains("Missing trailing-'"), open.getMessage());
    }

    @Test
    void theCommandCarriesUserHostProgramAndServerArguments() {
        RemoteShell.Target t = new RemoteShell.Target("bob", "h", "d");
        assertEquals(List.of("ssh", "-p", "22", "-l", "bob", "h", "rsync", "--server", "."),
                RemoteShell.command("ssh -p 22", t, null, List.of("--server", "."), false));
        // a daemon over the shell keeps the shell's own -l; the module's user is the daemon's business
        assertEquals(List.of("ssh", "-l", "admin", "h", "/opt/jrsync", "--server", "--daemon", "."),
                RemoteShell.command("ssh -l admin", t, "/opt/jrsync", List.of("--server", "--daemon", "."), true));
    }

    @Test
    void pathsAreEscapedForTheRemoteShellButKeepTheirWildcards() throws Exception {
        List<String> args = ServerArgs.forShell(OptionParser.parse("-a", "x", "y"), true, 31,
                List.of("my dir/*.txt", "-odd", "a$b;c"));
        assertEquals(List.of("my\\ dir/*.txt", "./-odd", "a\\$b\\;c"), args.subList(args.size() - 3, args.size()));
        assertEquals(".", args.get(args.size() - 4));
        // rsync 3.5's safe_arg: a newline cannot split the remote command; a backslash stays before a wildcard
        List<String> more = ServerArgs.forShell(OptionParser.parse("-a", "x", "y"), true, 31,
                List.of("a\nb", "x\\*", "x\\y", "back`tick`"));
        assertEquals(List.of("a\\\nb", "x\\*", "x\\\\y", "back\\`tick\\`"), more.subList(more.size() - 4, more.size()));
    }

    @Test
    void noRemoteShellNamedLeavesItToTheInProcessSsh() throws Exception {
        // RSYNC_RSH is read from the environment; this JVM's tests do not set it
        if (System.getenv("RSYNC_RSH") != null) {
            return;
        }
        assertNull(RemoteShell.rsh(OptionParser.parse("x", "y")));
        assertEquals("rsh -l u", RemoteShell.rsh(OptionParser.parse("-e", "rsh -l u", "x", "y")));
    }
}

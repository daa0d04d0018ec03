package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshCommandTest {
    private static SshCommand parse(String rsh) {
        return SshCommand.parse(RemoteShell.split(rsh));
    }

    @Test
    void sshByNameOrByAPathEndingInSsh() {
        assertTrue(SshCommand.isSsh("ssh"));
        assertTrue(SshCommand.isSsh("/usr/bin/ssh"));
        assertFalse(SshCommand.isSsh("/usr/bin/sshpass"));
        assertFalse(SshCommand.isSsh("rsh"));
    }

    @Test
    void optionsApartJoinedAndAsDashO() {
        assertEquals(SshCommand.DEFAULT, parse("ssh -T -x -q"));
        SshCommand c = parse("ssh -p 2222 -ikey1 -l bob -o 'IdentityFile=/k 2' -o UserKnownHostsFile=/kh "
                + "-o StrictHostKeyChecking=accept-new -o BatchMode=yes");
        assertEquals(new SshCommand(2222, "bob", List.of(Path.of("key1"), Path.of("/k 2")), "accept-new",
                Path.of("/kh")), c);
        assertEquals(new SshCommand(22, "al", List.of(), "no", null), parse("ssh -oPort=22 -o User=al -o "
                + "stricthostkeychecking=no"));
        assertEquals("yes", parse("ssh -o StrictHostKeyChecking=ask").strictHostKeys());
    }

    @Test
    void whatTheClientDoesNotTakeIsRefusedByName() {
        RsyncException e = assertThrows(RsyncException.class, () -> parse("ssh -J jump"));
        assertEquals(ExitCode.SYNTAX, e.exitCode());
        assertTrue(e.getMessage().contains("the option -J"), e.getMessage());
        assertTrue(assertThrows(RsyncException.class, () -> parse("ssh -o ProxyCommand=nc")).getMessage()
                .contains("the option -o ProxyCommand"));
        assertTrue(assertThrows(RsyncException.class, () -> parse("ssh host")).getMessage()
                .contains("the argument host"));
        assertThrows(RsyncException.class, () -> parse("ssh -p"));
        assertThrows(RsyncException.class, () -> parse("ssh -p 70000"));
        assertThrows(RsyncException.class, () -> parse("ssh -o StrictHostKeyChecking=maybe"));
    }
}

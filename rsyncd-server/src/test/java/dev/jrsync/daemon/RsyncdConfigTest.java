package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RsyncdConfigTest {
    private static final String CONF = """
            # global settings
            port = 8730
            motd file = /etc/motd
            pid file = /run/rsyncd.pid
            log file = /var/log/rsyncd.log
            read only = no
            Max_Connections = 4
            timeout = 600
            use chroot = yes

            [pub]
              path = /srv/pub
              comment = public \\
                files
              read only = true
              list = 1
            ; a comment
            [private]
            path = /srv/private
            list = off
            auth users = alice, bob:ro @staff:rw
            secrets file = /etc/rsyncd.secrets
            strict modes = no
            hosts allow = 127.0.0.1 10.0.0.0/8
            refuse options = delete* checksum
            transfer logging = yes
            log format = %o %n %l
            frobnicate = 3
            max verbosity = lots
            port = 99
            """;

    @Test
    void globalsModulesDefaultsAndTypes() {
        RsyncdConfig c = RsyncdConfig.parse(CONF, "test.conf");
        assertEquals(8730, c.port());
        assertEquals("/etc/motd", c.motdFile());
        assertEquals("/run/rsyncd.pid", c.pidFile());
        assertEquals("/var/log/rsyncd.log", c.logFile());
        assertEquals(List.of("pub", "private"), c.modules().stream().map(ModuleConfig::name).toList());

        ModuleConfig pub = c.module("pub");
        assertEquals("/srv/pub", pub.path());
        assertEquals("public files", pub.comment());
        assertTrue(pub.readOnly());
        assertTrue(pub.list());
        assertEquals(4, pub.maxConnections(), "global defaults apply to modules");
        assertEquals(600, pub.timeout());
        assertTrue(pub.mungeSymlinks(false), "unset munge symlinks means yes without chroot");
        assertEquals(1, pub.maxVerbosity());
        assertEquals(ModuleConfig.DEFAULT_LOG_FORMAT, pub.logFormat());

        ModuleConfig priv = c.module("private");
        assertFalse(priv.readOnly(), "the global read only = no");
        assertFalse(priv.list());
        assertEquals(List.of("alice", "bob:ro", "@staff:rw"), priv.authUsers());
        assertFalse(priv.strictModes());
        assertEquals(List.of("127.0.0.1", "10.0.0.0/8"), priv.hostsAllow());
        assertEquals(List.of("delete*", "checksum"), priv.refuseOptions());
        assertTrue(priv.transferLogging());
        assertEquals("%o %n %l", priv.logFormat());
        assertEquals(1, priv.maxVerbosity(), "a bad number falls back to the default");
        assertNull(c.module("nope"));
    }

    @Test
    void unknownAndMisplacedParametersAreWarningsWithFileAndLine() {
        RsyncdConfig c = RsyncdConfig.parse(CONF, "test.conf");
        assertTrue(c.warnings().contains("test.conf:28: unknown parameter \"frobnicate\" ignored"), c.warnings().toString());
        assertTrue(c.warnings().stream().anyMatch(w -> w.startsWith("test.conf:30:") && w.contains("port")),
                c.warnings().toString());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("max verbosity = lots")), c.warnings().toString());
    }

    @Test
    void moduleIdentityIsAppliedDaemonIdentityIsNoted() {
        RsyncdConfig c = RsyncdConfig.parse("uid = nobody\ndaemon uid = daemon\n[m]\npath = /x\ngid = nogroup, adm\n"
                + "use chroot = no\n", "f");
        List<String> notes = c.identityNotes();
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.getFirst().contains("\"daemon uid\"") && notes.getFirst().contains("has no effect"), notes.toString());
        ModuleConfig m = c.module("m");
        assertEquals("nobody", m.uid());
        assertEquals(List.of("nogroup", "adm"), m.gid());
        assertEquals(Boolean.FALSE, m.useChroot());
        assertNull(c.module("m").get("numeric ids"));
        assertTrue(m.numericIds(true), "unset numeric ids means yes in a chroot");
        assertFalse(m.numericIds(false));
        assertFalse(m.mungeSymlinks(true), "unset munge symlinks means no in a chroot");
    }

    @Test
    void globalSectionAndBooleans() {
        RsyncdConfig c = RsyncdConfig.parse("[global]\nlist = no\n[a]\npath=/a\n[b]\npath=/b\nlist=yes\n", "f");
        assertFalse(c.module("a").list());
        assertTrue(c.module("b").list());
        assertEquals(Boolean.TRUE, ModuleConfig.parseBoolean("Yes"));
        assertEquals(Boolean.FALSE, ModuleConfig.parseBoolean("0"));
        assertNull(ModuleConfig.parseBoolean("maybe"));
    }

    @Test
    void includeReadsADirectorysConfFilesEachFromTheParentsDefaults(@TempDir Path tmp) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("rsyncd.d"));
        Files.writeString(d.resolve("20-b.conf"), "[b]\npath = /b\n");
        // a global value set in an included file is that file's alone
        Files.writeString(d.resolve("10-a.conf"), "read only = no\nmotd file = /a/motd\n[a]\npath = /a\n");
        Files.writeString(d.resolve("README"), "[ignored]\npath = /r\n");
        Files.writeString(d.resolve("x.inc"), "[notincluded]\npath = /i\n");
        RsyncdConfig c = RsyncdConfig.parse("list = no\n&include " + d + "\n[after]\npath = /c\n", "f");
        assertEquals(List.of("a", "b", "after"), c.modules().stream().map(ModuleConfig::name).toList());
        assertFalse(c.module("a").readOnly());
        assertTrue(c.module("b").readOnly(), "the first file's global did not reach the second");
        assertTrue(c.module("after").readOnly(), "nor the rest of the parent");
        assertFalse(c.module("b").list(), "the parent's defaults reach every included file");
        assertNull(c.motdFile());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void mergeReadsAFileAsIfItStoodInPlace(@TempDir Path tmp) throws IOException {
        Path inc = Files.writeString(tmp.resolve("defaults.inc"), "read only = no\nmotd file = /m\n");
        Path mod = Files.writeString(tmp.resolve("more.inc"), "comment = merged in\n[other]\npath = /o\n");
        RsyncdConfig c = RsyncdConfig.parse("&merge = " + inc + "\n[m]\npath = /m\n&merge " + mod
                + "\nlist = no\n", "f");
        assertFalse(c.module("m").readOnly(), "a merged global is a default for what follows");
        assertEquals("/m", c.motdFile());
        assertEquals("merged in", c.module("m").comment(), "a merged file continues the open module");
        assertFalse(c.module("other").list(), "and what follows it continues the merged file's module");
        assertTrue(c.module("m").list());
    }

    @Test
    void badDirectivesAreWarnedAboutAndAnIncludeLoopEnds(@TempDir Path tmp) throws IOException {
        Path self = tmp.resolve("self.conf");
        Files.writeString(self, "&include " + self + "\n[m]\npath = /m\n");
        RsyncdConfig c = RsyncdConfig.parse("&include " + self + "\n&include " + tmp.resolve("missing")
                + "\n&frobnicate x\n", "f");
        assertEquals("/m", c.module("m").path());
        List<String> w = c.warnings();
        assertTrue(w.stream().anyMatch(s -> s.contains("nested more than")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("unable to open config file") && s.contains("missing")),
                w.toString());
        assertTrue(w.stream().anyMatch(s -> s.startsWith("f:3: unknown directive \"&frobnicate\"")), w.toString());
    }

    @Test
    void aModuleTakesTheGlobalValuesSetBeforeItAndNumbersExpandAsRead() {
        String home = System.getenv("HOME");
        RsyncdConfig c = RsyncdConfig.parse("[a]\npath = /a\n[global]\nread only = no\n[b]\npath = %HOME%/b\n"
                + "timeout = %JRSYNC_UNSET_VAR%\n", "f");
        assertTrue(c.module("a").readOnly(), "a global set after a module is not its default");
        assertFalse(c.module("b").readOnly());
        assertEquals("%HOME%/b", c.module("b").path(), "a string keeps its reference for the session");
        assertEquals(home + "/b", c.module("b").expanded(ModuleEnv.EMPTY).path());
        assertTrue(c.warnings().stream().anyMatch(s -> s.contains("timeout = %JRSYNC_UNSET_VAR%")), c.warnings().toString());
    }
}

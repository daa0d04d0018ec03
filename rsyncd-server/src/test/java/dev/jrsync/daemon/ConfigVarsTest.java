package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ConfigVarsTest {
    private static final Function<String, String> ENV =
            Map.of("RSYNC_USER_NAME", "alice", "RSYNC_MODULE_PATH", "/srv/My Backups", "HOME", "/root")::get;

    @Test
    void setVariablesAreReplacedVerbatimAndTheRestStaysAsWritten() {
        assertEquals("/home/alice", ConfigVars.expand("/home/%RSYNC_USER_NAME%", ENV));
        assertEquals("/srv/My Backups/x", ConfigVars.expand("%RSYNC_MODULE_PATH%/x", ENV));
        // unset names, lower-case names, unpaired and doubled percents are not references
        assertEquals("/home/%NOPE%", ConfigVars.expand("/home/%NOPE%", ENV));
        assertEquals("%o %h [%a] %m", ConfigVars.expand("%o %h [%a] %m", ENV));
        assertEquals("100% /root", ConfigVars.expand("100% %HOME%", ENV));
        assertEquals("50%%", ConfigVars.expand("50%%", ENV));
    }

    @Test
    void aShellCommandGetsRsyncValuesQuotedForWhereTheyStand() throws Exception {
        assertEquals("echo 'alice'", ConfigVars.expandForShell("echo %RSYNC_USER_NAME%", ENV));
        assertEquals("echo 'alice'", ConfigVars.expandForShell("echo '%RSYNC_USER_NAME%'", ENV));
        assertEquals("echo \"'alice'\"", ConfigVars.expandForShell("echo \"%RSYNC_USER_NAME%\"", ENV));
        // an apostrophe inside double quotes does not open single quotes
        assertEquals("echo \"it's 'alice'\"", ConfigVars.expandForShell("echo \"it's %RSYNC_USER_NAME%\"", ENV));
        // other variables are the administrator's own, inserted as they are
        assertEquals("cd /root", ConfigVars.expandForShell("cd %HOME%", ENV));
    }

    @Test
    void anRsyncValueAShellWouldActOnIsRefused() {
        ConfigVars.UnsafeValue e = assertThrows(ConfigVars.UnsafeValue.class,
                () -> ConfigVars.expandForShell("sh -c 'printf %s %RSYNC_MODULE_PATH%'", ENV));
        assertEquals("refusing to run shell hook: %RSYNC_MODULE_PATH% holds a shell metacharacter", e.getMessage());
        for (String bad : new String[] {"$(id)", "a;b", "touc?", "x`y`", "!", "~root", "{a,b}", "a\nb", "it's"}) {
            Function<String, String> env = Map.of("RSYNC_USER_NAME", bad)::get;
            assertThrows(ConfigVars.UnsafeValue.class, () -> ConfigVars.expandForShell("echo %RSYNC_USER_NAME%", env),
                    bad);
        }
    }
}

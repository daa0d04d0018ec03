package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.fs.ScanFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleFilterTest {
    @TempDir
    Path tmp;

    @Test
    void filterValuesSplitIntoRulesAtWhiteSpace() {
        assertEquals(List.of("- *.tmp", "+ keep/", "P /archive", "!", "exclude,s core"),
                ModuleFilter.splitFilterWords("  - *.tmp + keep/  P /archive ! exclude,s core "));
        assertEquals(List.of("Readme"), ModuleFilter.splitFilterWords("Readme"));
    }

    @Test
    void moduleRulesMatchModuleRelativeNamesBeforeTheClientsRules() throws IOException {
        Path conf = Files.writeString(tmp.resolve("rsyncd.conf"), """
                [m]
                path = %s
                filter = - /top-only
                exclude = *.secret
                include = keep.secret
                """.formatted(tmp));
        ModuleConfig m = RsyncdConfig.load(conf).module("m");
        ModuleFilter f = ModuleFilter.of(m, tmp);
        assertTrue(f.refusesUpload(b("a/b.secret"), false));
        assertFalse(f.refusesUpload(b("a/keep.secret"), false), "include is checked before exclude");
        assertTrue(f.refusesUpload(b("top-only"), false));
        assertFalse(f.refusesUpload(b("a/top-only"), false), "anchored at the module root");

        // A transfer rooted at "a": the module's rules still see "a/top-only", the client's see "top-only".
        ScanFilter client = new ScanFilter() {
            @Override
            public boolean excluded(byte[] relPath, boolean isDir) {
                return java.util.Arrays.equals(relPath, b("mine"));
            }

            @Override
            public ScanFilter enter(Path dir, byte[] relDir) {
                return this;
            }
        };
        ScanFilter scan = f.forSender(tmp.resolve("a"), client);
        assertFalse(scan.excluded(b("top-only"), false));
        assertTrue(scan.excluded(b("x.secret"), false));
        assertTrue(scan.excluded(b("mine"), false));
        assertTrue(f.forSender(tmp, client).excluded(b("top-only"), false));
    }

    /** A name's bytes, as the filters take them. */
    private static byte[] b(String name) {
        return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}

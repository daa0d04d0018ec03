package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.flist.FileEntry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    private static final FileEntry FILE = FileEntry.builder("dir/a.txt", 0100644).size(1234).mtime(0, 0).build();
    private static final FileEntry LINK = FileEntry.builder("l", 0120777).size(3)
            .linkTarget("a.t".getBytes(StandardCharsets.UTF_8)).build();
    private static final FileEntry DIR = FileEntry.builder("dir", 040755).build();

    private static LogFormat.Item item(FileEntry e) {
        return new LogFormat.Item("send", e, 99, ">f+++++++++", "host.example", "10.0.0.1", "mod", "/srv/mod", "alice");
    }

    @Test
    void rsyncEscapes() {
        assertEquals("send 99 1234 dir/a.txt >f+++++++++ host.example 10.0.0.1 mod alice",
                LogFormat.expand("%o %b %l %n %i %h %a %m %u", item(FILE)));
        assertEquals("send host.example [10.0.0.1] mod (alice) mod/dir/a.txt 1234",
                LogFormat.expand(ModuleConfig.DEFAULT_LOG_FORMAT, item(FILE)));
        assertEquals("l -> a.t rwxrwxrwx", LogFormat.expand("%n%L %B", item(LINK)));
        assertEquals("dir/", LogFormat.expand("%n", item(DIR)));
        assertEquals("[send  ] [   99] 100%", LogFormat.expand("[%-6o] [%5b] 100%%", item(FILE)));
        assertEquals("%z stays, trailing %", LogFormat.expand("%z stays, trailing %", item(FILE)));
    }

    /** %B is rsync's permstring past the type letter: set-id and sticky bits show as s/S and t/T. */
    @Test
    void permissionBitsShowSetIdAndStickyAsRsyncDoes() {
        assertEquals("rwsr-xr-x", LogFormat.expand("%B", item(FileEntry.builder("s", 0104755).build())));
        assertEquals("rw-r-Sr--", LogFormat.expand("%B", item(FileEntry.builder("g", 0102644).build())));
        assertEquals("rwxrwxrwt", LogFormat.expand("%B", item(FileEntry.builder("tmp", 041777).build())));
    }
}

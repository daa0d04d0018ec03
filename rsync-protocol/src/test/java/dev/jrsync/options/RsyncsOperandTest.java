package dev.jrsync.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code rsyncs://} names a daemon behind TLS: rsync-ssl's port 874 unless another is given, and {@code --tls}. */
class RsyncsOperandTest {
    @Test
    void anRsyncsOperandIsTheSameDaemonOverTls() {
        Options o = OptionParser.parse(List.of("-a", "rsyncs://user@backup.example/mod/dir/", "dst/"));
        assertTrue(o.tls());
        assertEquals(List.of("rsync://user@backup.example:874/mod/dir/", "dst/"), o.args());
        assertEquals("rsync://host:8874/m", OptionParser.overTls("rsyncs://host:8874/m"));
        assertEquals("rsync://[::1]:874/m/", OptionParser.overTls("rsyncs://[::1]/m/"));
        assertEquals("rsync://[::1]:9/m/", OptionParser.overTls("rsyncs://[::1]:9/m/"));
        assertEquals("rsync://host:874", OptionParser.overTls("rsyncs://host"));
        OptionParser.Split split = OptionParser.split(List.of("src/", "rsyncs://host/m/"));
        assertEquals(List.of("src/", "rsync://host:874/m/"), split.operands());
        assertEquals(List.of("--tls"), split.options().stream().map(OptionParser.Given::argument).toList());
        assertFalse(OptionParser.parse(List.of("src/", "rsync://host/m/")).tls());
    }
}

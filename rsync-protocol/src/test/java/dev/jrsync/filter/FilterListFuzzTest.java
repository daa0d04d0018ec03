package dev.jrsync.filter;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jrsync.testing.HostileInput;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A client's filter list as a server receives it ({@code rsync/exclude.c:recv_filter_list},
 * {@code parse_filter_str}, {@code parse_rule_tok}), then both sides' views matched against a few names
 * ({@code exclude.c:check_filter}, {@code wildmatch.c}): a hostile pattern must neither crash the matcher
 * nor make it run away. Input: one byte (protocol 28-32, --delete-excluded), then the list as sent.
 */
class FilterListFuzzTest {
    private static final List<String> NAMES = List.of("a.txt", "d", "d/e/text.txt", "x/.git/hooks/post-checkout",
            "caf\u00e9", "deep/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/file.tmp",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");

    @FuzzTest(maxDuration = "3s")
    void receivedRules(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int protocol = 28 + (data[0] & 7) % 5;
        boolean deleteExcluded = (data[0] & 0x08) != 0;
        HostileInput.decode(data, d -> {
            ProtocolInput in = new ProtocolInput(new ByteArrayInputStream(d, 1, d.length - 1), protocol);
            FilterRules rules = FilterRules.receive(in, protocol, deleteExcluded);
            for (FilterSide side : FilterSide.values()) {
                FilterView view = rules.view(side, Path.of("/"));
                for (String name : NAMES) {
                    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
                    view.excluded(bytes, false);
                    view.excluded(bytes, true);
                }
            }
        });
    }
}

package dev.jrsync.cli.mirror;

import dev.jrsync.client.TransferResult;
import dev.jrsync.options.Options;
import java.util.List;

/** One ordinary jrsync run from local sources to a destination (a daemon URL or a local folder). */
@FunctionalInterface
public interface Transfer {
    TransferResult run(Options options, List<String> sources, String dest);
}

package dev.jrsync.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The integer lines of a stock rsync client's {@code --stats} report ("Literal data: 300,008 bytes" and so on),
 * keyed by their label. These are the numbers rsync/main.c:output_summary prints; tests compare them against
 * jrsync's own accounting or use them to prove the delta algorithm sent little literal data.
 *
 * <p>Only plain numbers are understood (rsync's default thousands separators are accepted); run the client
 * without {@code -h}, which would abbreviate them.
 */
public record TransferStats(Map<String, Long> fields) {

    /** A label, then an integer that is not the start of a decimal fraction (timings are skipped). */
    private static final Pattern LINE = Pattern.compile("^([A-Z][A-Za-z ]*?): ([0-9][0-9,]*)(?=$|[ (])",
            Pattern.MULTILINE);

    public TransferStats {
        fields = Map.copyOf(fields);
    }

    /** Parses every "Label: N" line of rsync's output; fails the test if the output holds no stats block. */
    public static TransferStats parse(String rsyncStdout) {
        Map<String, Long> fields = new LinkedHashMap<>();
        Matcher m = LINE.matcher(rsyncStdout);
        while (m.find()) {
            fields.put(m.group(1), Long.parseLong(m.group(2).replace(",", "")));
        }
        if (!fields.containsKey("Total bytes sent")) {
            throw new AssertionError("no --stats block in rsync output (was --stats passed? -h breaks parsing):\n"
                    + rsyncStdout);
        }
        return new TransferStats(fields);
    }

    /** The value of one label, e.g. {@code get("Matched data")}; fails the test if rsync did not print it. */
    public long get(String label) {
        Long v = fields.get(label);
        if (v == null) {
            throw new AssertionError("rsync --stats has no integer line '" + label + "'; it has " + fields.keySet());
        }
        return v;
    }

    public long numberOfFiles() {
        return get("Number of files");
    }

    public long regularFilesTransferred() {
        return get("Number of regular files transferred");
    }

    public long totalFileSize() {
        return get("Total file size");
    }

    public long totalTransferredFileSize() {
        return get("Total transferred file size");
    }

    /** Bytes sent as literal data in the delta stream. */
    public long literalData() {
        return get("Literal data");
    }

    /** Bytes reconstructed from the receiver's basis file via matched block references. */
    public long matchedData() {
        return get("Matched data");
    }

    public long fileListSize() {
        return get("File list size");
    }

    /** Bytes this client wrote to the connection. */
    public long totalBytesSent() {
        return get("Total bytes sent");
    }

    /** Bytes this client read from the connection. */
    public long totalBytesReceived() {
        return get("Total bytes received");
    }
}

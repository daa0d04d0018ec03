package dev.jrsync.batch;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The replay script written beside a batch ({@code FILE.sh}): the command line that wrote the batch, with the
 * write option turned into {@code --read-batch}, the filter options into {@code --filter=._-} fed from a
 * here-document, and the destination into {@code ${1:-DEST}} so that another may be given. Every argument is
 * single-quoted: a name with shell metacharacters stays a name when the script runs.
 */
// rsync/batch.c:write_batch_shell_file, write_arg, write_opt, write_filter_rules
public final class BatchScript {
    private BatchScript() {}

    /**
     * The script's bytes.
     *
     * @param program   the program as it was invoked (rsync's {@code argv[0]})
     * @param rawArgs   the command line after it, as given
     * @param operands  the arguments left after the options (sources, then destination), as parsed
     * @param destPath  the destination operand without any host part
     * @param rules     the filter rules as merge-file lines ({@code FilterRules#asLines}); empty for none
     * @param nullEol   {@code --from0}: the rules end with a NUL rather than a newline
     * @param protocol  the session's protocol: before 29 the rules go as {@code --exclude-from=-}
     */
    public static byte[] of(String program, List<String> rawArgs, List<String> operands, String destPath,
                            List<byte[]> rules, boolean nullEol, int protocol) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        arg(b, program);
        if (!rules.isEmpty()) {
            opt(b, protocol >= 29 ? "--filter" : "--exclude-from", protocol >= 29 ? "._-" : "-");
        }
        // the operands, matched from the end, are left out: the destination comes back as ${1:-...}
        List<String> args = new ArrayList<>(rawArgs);
        boolean[] elided = new boolean[args.size()];
        for (int i = args.size() - 1, j = operands.size() - 1; i >= 0 && j >= 0; i--) {
            if (args.get(i).equals(operands.get(j))) {
                elided[i] = true;
                j--;
            }
        }
        for (int i = 0; i < args.size(); i++) {
            if (elided[i]) {
                continue;
            }
            String p = args.get(i);
            if (p.startsWith("--files-from") || p.startsWith("--filter") || p.startsWith("--include")
                    || p.startsWith("--exclude")) {
                if (p.indexOf('=') < 0) {
                    i++;
                }
                continue;
            }
            if (p.equals("-f")) {
                i++;
                continue;
            }
            int len = p.startsWith("--write-batch") ? 13 : p.startsWith("--only-write-batch") ? 18 : -1;
            if (len > 0) {
                opt(b, "--read-batch", p.length() > len && p.charAt(len) == '=' ? p.substring(len + 1) : null);
            } else {
                b.write(' ');
                arg(b, p);
            }
        }
        opt(b, "${1:-", null);
        arg(b, destPath);
        b.write('}');
        if (!rules.isEmpty()) {
            b.writeBytes(" <<'#E#'\n".getBytes(StandardCharsets.US_ASCII));
            for (byte[] rule : rules) {
                for (byte c : rule) {
                    if (c == '\n') {
                        throw new RsyncException(ExitCode.SYNTAX,
                                "cannot write a filter rule containing a newline to the batch replay script");
                    }
                }
                b.writeBytes(rule);
                b.write(nullEol ? 0 : '\n');
            }
            if (nullEol) {
                b.writeBytes(";\n".getBytes(StandardCharsets.US_ASCII));
            }
            b.writeBytes("#E#".getBytes(StandardCharsets.US_ASCII));
        }
        b.write('\n');
        return b.toByteArray();
    }

    /** A space, the option, and with a value "=" and the value quoted. */
    private static void opt(ByteArrayOutputStream b, String opt, String value) {
        b.write(' ');
        b.writeBytes(opt.getBytes(StandardCharsets.US_ASCII));
        if (value != null) {
            b.write('=');
            arg(b, value);
        }
    }

    /**
     * One argument, single-quoted (a quote inside as {@code '\''}); a leading "--name=" of plain option characters
     * stays outside the quotes, as a reader expects to see it.
     */
    static void arg(ByteArrayOutputStream b, String arg) {
        byte[] bytes = PathBytes.bytes(arg);
        int start = 0;
        int eq = arg.startsWith("-") ? indexOf(bytes, (byte) '=') : -1;
        if (eq >= 0) {
            int p = 0;
            while (p < eq && plainOptionChar(bytes[p])) {
                p++;
            }
            if (p == eq) {
                b.write(bytes, 0, eq + 1);
                start = eq + 1;
            }
        }
        b.write('\'');
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == '\'') {
                b.writeBytes("'\\''".getBytes(StandardCharsets.US_ASCII));
            } else {
                b.write(bytes[i]);
            }
        }
        b.write('\'');
    }

    private static boolean plainOptionChar(byte c) {
        return c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private static int indexOf(byte[] bytes, byte c) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return -1;
    }
}

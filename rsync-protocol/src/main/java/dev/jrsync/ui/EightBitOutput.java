package dev.jrsync.ui;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code -8}'s output ({@code rsync/log.c:filtered_fwrite} with {@code allow_8bit_chars}): a name's bytes above 0x7F
 * print as they are. Names reach the printing layer escaped ({@link dev.jrsync.core.Escaped}), so this turns each
 * {@code \#ooo} escape of such a byte back into the byte on the way out, and leaves the escapes of control
 * characters and of a backslash as they were; text kept as characters goes out as UTF-8, the bytes it came from.
 */
public final class EightBitOutput extends FilterOutputStream {
    private static final int ESCAPE_LENGTH = 5; // backslash, '#', three octal digits
    private final byte[] held = new byte[ESCAPE_LENGTH];
    private int heldLength;

    private EightBitOutput(OutputStream out) {
        super(out);
    }

    /** A print stream that writes through to {@code out} with the escapes of high-bit bytes undone. */
    public static PrintStream of(PrintStream out) {
        return new PrintStream(new EightBitOutput(out), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) throws IOException {
        if (heldLength == 0 && b != '\\') {
            out.write(b);
            return;
        }
        held[heldLength++] = (byte) b;
        if (!escapeSoFar()) {
            // the first byte is plain text; what followed it may start an escape of its own
            out.write(held[0]);
            byte[] rest = Arrays.copyOfRange(held, 1, heldLength);
            heldLength = 0;
            for (byte r : rest) {
                write(r);
            }
        } else if (heldLength == ESCAPE_LENGTH) {
            heldLength = 0;
            int value = (held[2] - '0') << 6 | (held[3] - '0') << 3 | (held[4] - '0');
            if (value >= 0x80) {
                out.write(value);
            } else {
                out.write(held, 0, ESCAPE_LENGTH);
            }
        }
    }

    /** Whether the held bytes can still be the start of an escape. */
    private boolean escapeSoFar() {
        int last = heldLength - 1;
        int b = held[last];
        return switch (last) {
            case 0 -> b == '\\';
            case 1 -> b == '#';
            case 2 -> b >= '0' && b <= '3';
            default -> b >= '0' && b <= '7';
        };
    }

    @Override
    public void flush() throws IOException {
        out.write(held, 0, heldLength); // an escape never spans a flush: a line is written whole
        heldLength = 0;
        out.flush();
    }
}

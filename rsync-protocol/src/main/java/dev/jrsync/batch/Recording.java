package dev.jrsync.batch;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A copy of one direction's protocol data, taken between the protocol codecs and the multiplexing, so that a
 * batch holds the stream alone, without the messages that travel beside it. Off until {@link #to} names where
 * the copy goes.
 */
// rsync/io.c: read_buf and write_buf copying to batch_fd for write_batch_monitor_in and _out
public final class Recording {
    private volatile OutputStream copy;

    /** Starts (or, with null, stops) copying. */
    public void to(OutputStream copy) {
        this.copy = copy;
    }

    /** {@code in}, its bytes copied as they are read. */
    public InputStream reading(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int c = super.read();
                OutputStream c2 = copy;
                if (c >= 0 && c2 != null) {
                    c2.write(c);
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                OutputStream c2 = copy;
                if (n > 0 && c2 != null) {
                    c2.write(b, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // read, not skipped: what is passed over is in the stream all the same
                byte[] buf = new byte[(int) Math.min(n, 8192)];
                int got = read(buf, 0, buf.length);
                return Math.max(got, 0);
            }
        };
    }

    /** {@code out}, its bytes copied as they are written. */
    public OutputStream writing(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                OutputStream c2 = copy;
                if (c2 != null) {
                    c2.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                OutputStream c2 = copy;
                if (c2 != null) {
                    c2.write(b, off, len);
                }
            }
        };
    }
}

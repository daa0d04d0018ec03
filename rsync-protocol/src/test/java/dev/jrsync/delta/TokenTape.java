package dev.jrsync.delta;

import dev.jrsync.delta.token.TokenReader;
import dev.jrsync.delta.token.TokenWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An in-memory token stream: what a {@link TokenWriter} wrote, replayed as a {@link TokenReader}. */
final class TokenTape implements TokenWriter, TokenReader {
    /** A literal run ({@code data != null}) or a block reference. */
    record Token(byte[] data, int block, byte[] blockBytes) {}

    final List<Token> tokens = new ArrayList<>();
    final List<byte[]> seenByReader = new ArrayList<>();
    boolean ended;
    private int cursor;
    private byte[] current;

    @Override
    public void literal(byte[] buf, int off, int len) {
        if (ended) {
            throw new AssertionError("literal after endFile");
        }
        if (len <= 0) {
            throw new AssertionError("empty literal");
        }
        tokens.add(new Token(Arrays.copyOfRange(buf, off, off + len), -1, null));
    }

    @Override
    public void match(int blockIndex, byte[] buf, int off, int len) {
        if (ended) {
            throw new AssertionError("match after endFile");
        }
        tokens.add(new Token(null, blockIndex, Arrays.copyOfRange(buf, off, off + len)));
    }

    @Override
    public void endFile() {
        ended = true;
    }

    @Override
    public int next() {
        if (cursor == tokens.size()) {
            return 0;
        }
        Token t = tokens.get(cursor++);
        if (t.data() != null) {
            // Put the literal at an offset, as a real reader's buffer might.
            current = new byte[t.data().length + 5];
            System.arraycopy(t.data(), 0, current, 5, t.data().length);
            return t.data().length;
        }
        return -(t.block() + 1);
    }

    @Override
    public byte[] literalBuffer() {
        return current;
    }

    @Override
    public int literalOffset() {
        return 5;
    }

    @Override
    public void matched(byte[] buf, int off, int len) {
        seenByReader.add(Arrays.copyOfRange(buf, off, off + len));
    }

    long literalBytes() {
        return tokens.stream().filter(t -> t.data() != null).mapToLong(t -> t.data().length).sum();
    }

    List<Integer> blocks() {
        return tokens.stream().filter(t -> t.data() == null).map(Token::block).toList();
    }

    /** Literal run lengths and block numbers in order, e.g. [b0, b1, L700, b3]. */
    List<String> shape() {
        List<String> out = new ArrayList<>();
        long pending = 0;
        for (Token t : tokens) {
            if (t.data() != null) {
                pending += t.data().length;
                continue;
            }
            if (pending > 0) {
                out.add("L" + pending);
                pending = 0;
            }
            out.add("b" + t.block());
        }
        if (pending > 0) {
            out.add("L" + pending);
        }
        return out;
    }
}

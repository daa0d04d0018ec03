package dev.jrsync.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Content the benchmarks run over. Random bytes are the worst case for compressors and give the weak
 * sum no accidental collisions; text stands for source trees and logs, which compress and whose weak
 * sums collide more often. Both are seeded, so every run sees the same bytes.
 */
public enum DataKind {
    RANDOM {
        @Override
        public byte[] generate(long seed, int length) {
            byte[] b = new byte[length];
            new Random(seed).nextBytes(b);
            return b;
        }
    },
    TEXT {
        /**
         * Words from a fixed vocabulary with a skewed pick, spaces, line breaks and indentation: about as
         * compressible as source code (zlib level 6 shrinks it about 4:1), unlike a handful of repeated words.
         */
        @Override
        public byte[] generate(long seed, int length) {
            Random r = new Random(seed);
            StringBuilder sb = new StringBuilder(length + 64);
            while (sb.length() < length) {
                sb.repeat(' ', 4 * r.nextInt(3));
                int words = 1 + r.nextInt(12);
                for (int w = 0; w < words; w++) {
                    // The product of two uniform picks favours low indexes, like word frequencies do.
                    int n = VOCABULARY.length;
                    sb.append(VOCABULARY[r.nextInt(n) * r.nextInt(n) / n]);
                    sb.append(w + 1 < words ? ' ' : '\n');
                }
            }
            sb.setLength(length);
            return sb.toString().getBytes(StandardCharsets.US_ASCII);
        }
    };

    private static final String[] VOCABULARY = vocabulary(256, 7);

    public abstract byte[] generate(long seed, int length);

    /** Pronounceable-ish lowercase words of 2 to 11 letters. */
    private static String[] vocabulary(int count, long seed) {
        Random r = new Random(seed);
        String[] words = new String[count];
        for (int i = 0; i < count; i++) {
            char[] w = new char[2 + r.nextInt(10)];
            for (int j = 0; j < w.length; j++) {
                w[j] = (char) ('a' + r.nextInt(26));
            }
            words[i] = new String(w);
        }
        return words;
    }
}

package dev.jrsync.delta.token;

/**
 * Flag bytes and limits of the compressed token stream ({@code rsync/token.c}, the defines above
 * {@code send_deflated_token}), shared by the zlib, zlibx, zstd and lz4 framings.
 */
final class TokenFlags {
    /** End of this file's tokens. */
    static final int END_FLAG = 0x00;
    /** Followed by an int32 absolute block index. */
    static final int TOKEN_LONG = 0x20;
    /** Followed by an int32 absolute block index and a u16 LE run count. */
    static final int TOKENRUN_LONG = 0x21;
    /** Plus the high 6 bits of the payload length; the low byte and the payload follow. */
    static final int DEFLATED_DATA = 0x40;
    /** Plus a 6-bit increment over the previous block index. */
    static final int TOKEN_REL = 0x80;
    /** As {@link #TOKEN_REL}, then a u16 LE run count. */
    static final int TOKENRUN_REL = 0xC0;

    /** Largest payload of one {@link #DEFLATED_DATA} frame (a 14-bit length). */
    static final int MAX_DATA_COUNT = 16383;
    /** rsync's {@code CHUNK_SIZE}: the largest piece of literal data handled at once. */
    static final int CHUNK_SIZE = 32 * 1024;
    /** Largest block index a compressed stream may name ({@code MAX_TOKEN_INDEX}). */
    static final int MAX_TOKEN_INDEX = 0x7FFFFFFE;
    /** Most blocks one run token can add after its first block (a u16 count). */
    static final int MAX_RUN = 0xFFFF;

    private TokenFlags() {
    }
}

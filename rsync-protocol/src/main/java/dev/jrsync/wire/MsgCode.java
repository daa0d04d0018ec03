package dev.jrsync.wire;

/** Multiplexed message codes ({@code rsync/rsync.h: enum msgcode}); on the wire as code + 7. */
public enum MsgCode {
    DATA(0),
    ERROR_XFER(1),
    INFO(2),
    ERROR(3),
    WARNING(4),
    ERROR_SOCKET(5),
    LOG(6),
    CLIENT(7),
    ERROR_UTF8(8),
    REDO(9),
    STATS(10),
    IO_ERROR(22),
    IO_TIMEOUT(33),
    NOOP(42),
    ERROR_EXIT(86),
    SUCCESS(100),
    DELETED(101),
    NO_SEND(102);

    /** rsync's {@code MPLEX_BASE}: frame header byte = code + 7. */
    public static final int MPLEX_BASE = 7;

    public final int code;

    MsgCode(int code) {
        this.code = code;
    }

    private static final MsgCode[] BY_CODE = new MsgCode[256];

    static {
        for (MsgCode c : values()) {
            BY_CODE[c.code] = c;
        }
    }

    /** The code for a wire value, or null when rsync defines none. */
    public static MsgCode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Messages that carry text meant for the user. */
    public boolean isText() {
        return this == ERROR_XFER || this == INFO || this == ERROR || this == WARNING || this == LOG
                || this == CLIENT || this == ERROR_UTF8 || this == ERROR_SOCKET;
    }
}

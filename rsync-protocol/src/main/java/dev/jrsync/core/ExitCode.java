package dev.jrsync.core;

/** rsync's exit codes ({@code rsync/errcode.h}); jrsync exits with the same numbers. */
public final class ExitCode {
    private ExitCode() {}

    public static final int OK = 0;
    public static final int SYNTAX = 1;
    public static final int PROTOCOL_INCOMPATIBLE = 2;
    public static final int FILE_SELECT = 3;
    public static final int UNSUPPORTED = 4;
    public static final int START_CLIENT = 5;
    public static final int SOCKET_IO = 10;
    public static final int FILE_IO = 11;
    public static final int STREAM_IO = 12;
    public static final int MESSAGE_IO = 13;
    public static final int IPC = 14;
    public static final int SIGNAL = 20;
    public static final int MALLOC = 22;
    public static final int PARTIAL = 23;
    public static final int VANISHED = 24;
    public static final int DEL_LIMIT = 25;
    public static final int TIMEOUT = 30;
    public static final int CONNECTION_TIMEOUT = 35;

    /** rsync's wording for each code, used in "rsync error: ... (code N)" lines. */
    public static String describe(int code) {
        return switch (code) {
            case SYNTAX -> "syntax or usage error";
            case PROTOCOL_INCOMPATIBLE -> "protocol incompatibility";
            case FILE_SELECT -> "errors selecting input/output files, dirs";
            case UNSUPPORTED -> "requested action not supported";
            case START_CLIENT -> "error starting client-server protocol";
            case SOCKET_IO -> "error in socket IO";
            case FILE_IO -> "error in file IO";
            case STREAM_IO -> "error in rsync protocol data stream";
            case MESSAGE_IO -> "errors with program diagnostics";
            case IPC -> "error in IPC code";
            case SIGNAL -> "received SIGINT, SIGTERM, or SIGHUP";
            case MALLOC -> "error allocating core memory buffers";
            case PARTIAL -> "some files/attrs were not transferred (see previous errors)";
            case VANISHED -> "some files vanished before they could be transferred";
            case DEL_LIMIT -> "the --max-delete limit stopped deletions";
            case TIMEOUT -> "timeout in data send/receive";
            case CONNECTION_TIMEOUT -> "timeout waiting for daemon connection";
            default -> "unexplained error";
        };
    }
}

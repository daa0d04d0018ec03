// rsync/log.c:rsyserr (the "strerror (errno)" tail of an error line)
package dev.jrsync.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.regex.Pattern;

/**
 * Why an I/O call failed, worded as rsync words it ({@code No such file or directory (2)}). The JDK's own
 * texts are unfit for a peer or a log: a {@link NoSuchFileException}'s message is only the path, which here
 * is often a {@code /proc/self/fd/N/name} descriptor path, and {@code toString} adds the class name.
 */
public final class IoErrors {
    private IoErrors() {}

    private static final Pattern FD_PATH = Pattern.compile("/proc/self/fd/\\d+/?");

    public static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "No such file or directory (2)";
            case AccessDeniedException x -> "Permission denied (13)";
            case FileAlreadyExistsException x -> "File exists (17)";
            case NotDirectoryException x -> "Not a directory (20)";
            case DirectoryNotEmptyException x -> "Directory not empty (39)";
            case FileSystemLoopException x -> "Too many levels of symbolic links (40)";
            case NotLinkException x -> "Invalid argument (22)";
            case FileSystemException x when x.getReason() != null -> withoutFdPaths(x.getReason());
            default -> e.getMessage() == null ? "Input/output error (5)" : withoutFdPaths(e.getMessage());
        };
    }

    /** rsync's wording of a bare errno: {@code strerror (N)}. */
    public static String describe(int errno) {
        return Posix.strerror(errno) + " (" + errno + ")";
    }

    /** Text with the descriptor prefix of {@link Posix#below} paths taken out, leaving the names. */
    public static String withoutFdPaths(String text) {
        return FD_PATH.matcher(text).replaceAll("");
    }
}

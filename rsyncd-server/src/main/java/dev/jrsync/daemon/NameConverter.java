package dev.jrsync.daemon;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.flist.IdNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * A module's {@code name converter} ({@code rsync/clientserver.c:namecvt_call}, used by {@code uidlist.c} in
 * place of the account database): a helper command the session started, asked one line at a time, "usr NAME",
 * "grp NAME", "uid ID" or "gid ID", and answering one line: the id, or the name. A name from a peer goes into
 * the request only when it holds no control character, so a newline cannot split it into a second request; an
 * answer is read up to rsync's 1024-byte buffer and an id must be all digits within 32 bits, so an empty or
 * garbled answer never maps a name to root.
 */
final class NameConverter implements IdNames, AutoCloseable {
    /** rsync's request and answer buffer. */
    static final int MAX_LINE = 1024;

    private final OutputStream requests;
    private final InputStream answers;
    private final Consumer<String> errors;
    private final Map<String, OptionalInt> known = new HashMap<>();

    /**
     * @param requests the helper's stdin
     * @param answers  the helper's stdout
     * @param errors   where a refused token is reported (the client and the daemon's log, as rsync's FERROR)
     */
    NameConverter(OutputStream requests, InputStream answers, Consumer<String> errors) {
        this.requests = requests;
        this.answers = answers;
        this.errors = errors;
    }

    @Override
    public String userName(int uid) {
        return call("uid " + Integer.toUnsignedString(uid));
    }

    @Override
    public String groupName(int gid) {
        return call("gid " + Integer.toUnsignedString(gid));
    }

    @Override
    public OptionalInt uidOf(String userName) {
        return idOf("usr", userName);
    }

    @Override
    public OptionalInt gidOf(String groupName) {
        return idOf("grp", groupName);
    }

    /**
     * The answer for each name asked about, kept for the session as rsync's {@code recv_add_id} keeps the id it
     * found: a name is looked up as it arrives and again when the owners are mapped. Bounded by the names the
     * peer sent, which its id lists were charged for.
     */
    private synchronized OptionalInt idOf(String cmd, String name) {
        String request = cmd + " " + name;
        OptionalInt id = known.get(request);
        if (id == null) {
            id = lookUp(cmd, name);
            known.put(request, id);
        }
        return id;
    }

    private OptionalInt lookUp(String cmd, String name) {
        if (!safeToken(name)) {
            errors.accept("invalid name-converter token: " + Escaped.of(name));
            return OptionalInt.empty();
        }
        String answer = call(cmd + " " + name);
        if (answer == null || answer.isEmpty() || !answer.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseUnsignedInt(answer));
        } catch (NumberFormatException tooLarge) {
            return OptionalInt.empty();
        }
    }

    /** Whether {@code s} can travel as one token: no control character, which a line protocol would act on. */
    static boolean safeToken(String s) {
        return s.chars().noneMatch(c -> c < ' ' || c == 0x7f);
    }

    /** One request and its answer line; null when the helper answered nothing (it ended). */
    private synchronized String call(String request) {
        byte[] line = (request + "\n").getBytes(StandardCharsets.UTF_8);
        if (line.length > MAX_LINE) {
            throw new RsyncException(ExitCode.UNSUPPORTED, "namecvt_call() request was too large.");
        }
        try {
            requests.write(line);
            requests.flush();
        } catch (IOException e) {
            throw new RsyncException(ExitCode.SOCKET_IO, "Connection to name-converter failed.");
        }
        try {
            return readLine();
        } catch (IOException e) {
            return null;
        }
    }

    /** rsync's read_line_old: up to the newline, a carriage return dropped, at most {@link #MAX_LINE} - 1 bytes. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = answers.read();
            if (c < 0) {
                return null;
            }
            if (c == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (c != '\r' && line.size() < MAX_LINE - 1) {
                line.write(c);
            }
        }
    }

    /** Ends the helper's input: it sees the end of its requests and exits. */
    @Override
    public void close() {
        try {
            requests.close();
        } catch (IOException ignored) {
            // the helper is gone already
        }
        try {
            answers.close();
        } catch (IOException ignored) {
            // nothing left to read
        }
    }
}

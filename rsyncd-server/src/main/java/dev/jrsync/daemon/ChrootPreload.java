package dev.jrsync.daemon;

import com.github.luben.zstd.util.Native;
import dev.jrsync.flist.IdNames;
import dev.jrsync.fs.ThreadCredentials;
import dev.jrsync.session.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;

/**
 * What a chrooted session would otherwise fetch from the real root later, fetched once before any session
 * chroots (rsync's daemon calls {@code tzset} before {@code chroot} for the same reason). After the chroot a
 * path names a place inside the module, so: every jrsync class that lives in a classes directory is loaded
 * (a jar's classes are read through the descriptor the class loader holds open, and every jar of the class
 * path is opened here), the native libraries of zstd-jni and lz4-java are extracted and loaded (they unpack
 * into {@code java.io.tmpdir} on first use), the host's passwd and group files are read for name mapping,
 * the FFM bindings the roles call are linked, and classes that start a shared thread when initialised are
 * initialised (a thread started by a session would keep the session's identity and root for good). The log file and the module log files are opened before
 * the chroot by {@link RsyncDaemon}.
 */
final class ChrootPreload {
    private static volatile boolean done;

    private ChrootPreload() {}

    static synchronized void run() {
        if (done) {
            return;
        }
        ClassLoader loader = ChrootPreload.class.getClassLoader();
        for (Class<?> anchor : List.of(ChrootPreload.class, Connection.class)) {
            loadClassesBeside(anchor, loader);
        }
        try {
            // opens every jar on the class path (surefire's and the launcher's manifest Class-Path included)
            loader.getResources("META-INF/MANIFEST.MF").asIterator().forEachRemaining(u -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        initialise("dev.jrsync.delta.token.ZstdContexts", loader); // starts its Cleaner thread, which must be root's
        initialise("dev.jrsync.session.AttrSetter", loader); // reads the umask from /proc, absent in a chroot
        try {
            Native.load();
        } catch (LinkageError | RuntimeException e) {
            // no zstd here (a noexec /tmp): a session asking for it fails as it would have without the preload
        }
        LZ4Factory.fastestInstance(); // falls back to its Java implementation by itself
        XXHashFactory.fastestInstance();
        IdNames.system();
        ThreadCredentials.euid();
        done = true;
    }

    private static void initialise(String className, ClassLoader loader) {
        try {
            Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads (without initialising) every class under {@code dev/jrsync} of the classes directory holding {@code anchor}. */
    private static void loadClassesBeside(Class<?> anchor, ClassLoader loader) {
        Path dir;
        try {
            dir = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            return; // a jar: its classes are read through the open jar
        }
        try (Stream<Path> files = Files.walk(dir.resolve("dev/jrsync"))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String rel = dir.relativize(f).toString();
                String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
                try {
                    Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // a class this daemon cannot use anyway (an optional dependency is missing)
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

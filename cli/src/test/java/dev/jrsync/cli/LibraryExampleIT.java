package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Use it as a library": its Java program, taken from the README as it stands, run exactly as the
 * README says ({@code java -cp cli/target/jrsync.jar Example.java SRC URL}) against a stock daemon.
 */
class LibraryExampleIT {
    private static final Path README = Path.of("..", "README.md");
    private static final Path JAR = Path.of("target", "jrsync.jar").toAbsolutePath();

    /** The first fenced java block after the section's heading. */
    static String example() throws Exception {
        String readme = Files.readString(README);
        int section = readme.indexOf("## Use it as a library");
        assertTrue(section >= 0, "README has no \"Use it as a library\" section");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    @Test
    void readmesProgramPushesAFolderAndPrintsTheStats(@TempDir Path tmp) throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        Path module = Files.createDirectories(tmp.resolve("module"));
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Path program = Files.writeString(tmp.resolve("Example.java"), example());
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", module)).start()) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "-cp", JAR.toString(), program.toString(), src.toString(),
                    daemon.url("mod") + "/").redirectErrorStream(true).start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the example did not finish in 120 s");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("<f+++++++++ small.txt"), out);
            assertTrue(out.contains("Stats[listed=Counts[regular=" + TreeAssert.regularFiles(src) + ","), out);
            TreeAssert.assertIdentical(src, module, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        }
    }
}

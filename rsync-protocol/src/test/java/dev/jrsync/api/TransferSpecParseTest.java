package dev.jrsync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An rsync command line as a spec: what the command does with its own arguments. */
class TransferSpecParseTest {
    private static final PasswordSource NONE = (user, module) -> null;

    @TempDir
    Path tmp;

    private static TransferSpec parse(String... args) {
        return TransferSpec.parse(List.of(args), NONE);
    }

    @Test
    void bundlesAndAliasesBecomeLongNamesInOrderAndTheLastOperandIsTheDestination() {
        TransferSpec spec = parse("-avz", "--del", "-B", "4096", "-P", "a/", "b", "dst/");
        assertEquals(List.of(new TransferSpec.Setting("archive", null), new TransferSpec.Setting("verbose", null),
                new TransferSpec.Setting("compress", null), new TransferSpec.Setting("del", null),
                new TransferSpec.Setting("block-size", "4096"), new TransferSpec.Setting("P", null)),
                spec.settings());
        assertEquals(List.of("a/", "b"), spec.sources());
        assertEquals(Optional.of("dst/"), spec.destination());
        // the spec asks for the same run as the command line did
        assertEquals(spec, TransferSpec.parse(spec.argv(), NONE));
    }

    @Test
    void aLoneOperandIsAListingAndANameAfterDoubleDashIsNoOption() {
        TransferSpec spec = parse("-r", "--", "-odd/");
        assertEquals(List.of("-odd/"), spec.sources());
        assertEquals(Optional.empty(), spec.destination());
    }

    @Test
    void whatIsNotATransferIsRefusedWithRsyncsWords() {
        assertEquals("jrsync: --bogus: unknown option",
                assertThrows(IllegalArgumentException.class, () -> parse("--bogus", "a", "b")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--watch", "a/", "b"))
                .getMessage().contains("not an option of a transfer"));
        assertThrows(IllegalArgumentException.class, () -> parse("-a"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--delete", "a/", "b"))
                .getMessage().contains("--delete does not work without --recursive"));
    }

    @Test
    void aParsedSpecCopiesAsTheBuiltOneDoes() throws IOException {
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
        TransferOutcome done = Rsync.transfer(parse("-a", "--delete", src + "/", tmp.resolve("dst").toString()));
        assertTrue(done.ok(), done::toString);
        TreeAssert.assertIdentical(src, tmp.resolve("dst"), TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        assertEquals(TreeAssert.regularFiles(src), done.stats().transferredFiles());
        assertEquals(TreeAssert.regularFiles(src), done.stats().listed().regular());
        assertEquals(done.stats().listed().regular(), done.stats().created().regular());
    }
}

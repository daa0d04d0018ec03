package dev.jrsync.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ServerArgs#build} against argument lists stock clients really sent to a stock 3.5.0 daemon,
 * captured with wiretap on 127.0.0.1 (client rsync 3.5.0 unless noted; the paths after "." dropped).
 * Each case parses the same command line with {@link OptionParser} and passes the capability letters
 * the stock client sent (it drops "i" itself in some cases), so the whole list must match exactly.
 */
class ServerArgsBuildTest {

    private static Arguments pull(String userArgs, String caps, String... expected) {
        return Arguments.of(true, userArgs, caps, List.of(expected));
    }

    private static Arguments push(String userArgs, String caps, String... expected) {
        return Arguments.of(false, userArgs, caps, List.of(expected));
    }

    private static final String I = "iLsfxCIvu";
    private static final String NO_I = "LsfxCIvu";

    static Stream<Arguments> captured() {
        return Stream.of(
                // §5.1 of the reference: 3.2.7 with --no-inc-recursive
                pull("-av", NO_I, "--server", "--sender", "-vlogDtpre.LsfxCIvu", "."),
                push("-av --delete", NO_I, "--server", "-vlogDtpre.LsfxCIvu", "--delete", "."),
                pull("-a", I, "--server", "--sender", "-logDtpre.iLsfxCIvu", "."),
                pull("-rt -z", I, "--server", "--sender", "-trze.iLsfxCIvu", "."),
                push("-rt -z", I, "--server", "-trze.iLsfxCIvu", "."),
                pull("-rt -zz", I, "--server", "--sender", "-tre.iLsfxCIvu", "--new-compress", "."),
                pull("-rt --compress-choice=zstd", I, "--server", "--sender", "-tre.iLsfxCIvu",
                        "--compress-choice=zstd", "."),
                pull("-rt --compress-choice=zlib", I, "--server", "--sender", "-trze.iLsfxCIvu", "--old-compress", "."),
                pull("-rt --compress-choice=zlibx", I, "--server", "--sender", "-tre.iLsfxCIvu", "--new-compress", "."),
                pull("-rt --compress-choice=lz4 --compress-level=3", I, "--server", "--sender", "-tre.iLsfxCIvu",
                        "--compress-level=3", "--compress-choice=lz4", "."),
                pull("-rt -z --compress-level=9", I, "--server", "--sender", "-trze.iLsfxCIvu",
                        "--compress-level=9", "."),
                pull("-rt --compress-level=5", I, "--server", "--sender", "-tre.iLsfxCIvu", "--compress-level=5", "."),
                pull("-rt --compress-choice=none", I, "--server", "--sender", "-tre.iLsfxCIvu",
                        "--compress-choice=none", "."),
                pull("-rt --checksum-choice=md5", I, "--server", "--sender", "-tre.iLsfxCIvu",
                        "--checksum-choice=md5", "."),
                pull("-rt --checksum-choice=none", I, "--server", "--sender", "-Wtre.iLsfxCIvu",
                        "--checksum-choice=none", "."),
                pull("-rtcI --size-only -W", I, "--server", "--sender", "-WtrcIe.iLsfxCIvu", "."),
                push("-rtcI --size-only -W", I, "--server", "-WtrcIe.iLsfxCIvu", "--size-only", "."),
                push("-rt --no-W --inplace --sparse", I, "--server", "-trSe.iLsfxCIvu", "--inplace", "--no-W", "."),
                push("-rt --inplace --sparse", I, "--server", "-trSe.iLsfxCIvu", "--inplace", "."),
                push("-rt --append", I, "--server", "-tre.iLsfxCIvu", "--append", "."),
                push("-rt --append-verify", I, "--server", "-tre.iLsfxCIvu", "--append", "--append", "."),
                pull("-rt --append-verify", I, "--server", "--sender", "-tre.iLsfxCIvu", "--append", "--append", "."),
                pull("-rt -y -m -O -J -x -S", NO_I, "--server", "--sender", "-trxSe.LsfxCIvu", "."),
                // -yy still sends one y: the second level only adds --compare-dest directories
                push("-rt -yy -m -O -J -xx -S", I, "--server", "-mOJytrxxSe.iLsfxCIvu", "."),
                push("-rt -bu --backup-dir=bk --suffix=.old", I, "--server", "-butre.iLsfxCIvu",
                        "--backup-dir", "bk", "--suffix=.old", "."),
                push("-rt -b --suffix=.old", I, "--server", "-btre.iLsfxCIvu", "--suffix=.old", "."),
                push("-rt -b", I, "--server", "-btre.iLsfxCIvu", "."),
                pull("-rt -b --backup-dir=bk", I, "--server", "--sender", "-btre.iLsfxCIvu", "--backup-dir", "bk", "."),
                push("-rt --delete-before --delete-excluded --force --max-delete=5", I, "--server", "-tre.iLsfxCIvu",
                        "--max-delete=5", "--delete-before", "--delete-excluded", "--force", "."),
                push("-rt --del", I, "--server", "-tre.iLsfxCIvu", "--delete-during", "."),
                push("-rt --delete-delay", I, "--server", "-tre.iLsfxCIvu", "--delete-delay", "."),
                push("-rt --delete-after", I, "--server", "-tre.iLsfxCIvu", "--delete-after", "."),
                push("-rt --delete-excluded", I, "--server", "-tre.iLsfxCIvu", "--delete-excluded", "."),
                pull("-rt --delete", I, "--server", "--sender", "-tre.iLsfxCIvu", "."),
                push("-rt --max-alloc=1M", I, "--server", "-tre.iLsfxCIvu", "--max-alloc=1M", "."),
                pull("-rt --max-alloc=1G", I, "--server", "--sender", "-tre.iLsfxCIvu", "."),
                pull("-rt -z --max-alloc=2M", I, "--server", "--sender", "-trze.iLsfxCIvu", "--max-alloc=2M", "."),
                push("-rt --max-delete=0", I, "--server", "-tre.iLsfxCIvu", "--max-delete=-1", "."),
                push("-rt --min-size=1.5K --max-size=2M", I, "--server", "-tre.iLsfxCIvu",
                        "--min-size=1536", "--max-size=2097152", "."),
                push("-rt --max-size=1K+1 --min-size=1KB-1", I, "--server", "-tre.iLsfxCIvu",
                        "--min-size=999", "--max-size=1025", "."),
                pull("-rt --max-size=2M", I, "--server", "--sender", "-tre.iLsfxCIvu", "."),
                push("-rt -B 2048 --timeout=30 --bwlimit=100 --checksum-seed=7", I, "--server", "-tre.iLsfxCIvu",
                        "-B2048", "--timeout=30", "--bwlimit=100", "--checksum-seed=7", "."),
                pull("-rt -B 2048 --timeout=30 --bwlimit=1M --checksum-seed=7", I, "--server", "--sender",
                        "-tre.iLsfxCIvu", "-B2048", "--timeout=30", "--bwlimit=1024", "--checksum-seed=7", "."),
                push("-rt --modify-window=2 --partial --numeric-ids --ignore-existing --existing", I, "--server",
                        "-tre.iLsfxCIvu", "--modify-window=2", "--partial", "--numeric-ids", "--ignore-existing",
                        "--existing", "."),
                pull("-rt --modify-window=2 --partial --numeric-ids --ignore-existing --existing", I, "--server",
                        "--sender", "-tre.iLsfxCIvu", "--numeric-ids", "."),
                push("-rt --partial-dir=.pd --delay-updates", I, "--server", "-tre.iLsfxCIvu",
                        "--partial-dir", ".pd", "--delay-updates", "."),
                push("-rt --delay-updates", I, "--server", "-tre.iLsfxCIvu", "--delay-updates", "."),
                push("-rt -T /tmp --remove-source-files --mkpath", I, "--server", "-tre.iLsfxCIvu",
                        "--temp-dir", "/tmp", "--remove-source-files", "--mkpath", "."),
                pull("-rt -T /tmp --remove-source-files --mkpath", I, "--server", "--sender", "-tre.iLsfxCIvu",
                        "--remove-source-files", "."),
                push("-rt -i", I, "--server", "-tre.iLsfxCIvu", "--log-format=%i", "."),
                push("-rt -ii", I, "--server", "-tre.iLsfxCIvu", "--log-format=%i%I", "."),
                push("-rt -iv", I, "--server", "-vtre.iLsfxCIvu", "--log-format=%i", "."),
                push("-rt --progress", I, "--server", "-tre.iLsfxCIvu", "--log-format=X", "."),
                push("-rt --stats", I, "--server", "-tre.iLsfxCIvu", "--stats", "."),
                pull("-rt --stats -q", I, "--server", "--sender", "-qtre.iLsfxCIvu", "."),
                pull("-rt -n -vvv", I, "--server", "--sender", "-vvvntre.iLsfxCIvu", "."),
                pull("-d", NO_I, "--server", "--sender", "-de.LsfxCIvu", "."),
                pull("-r --no-D -lpgo", I, "--server", "--sender", "-logpre.iLsfxCIvu", "."),
                pull("-a --no-devices", I, "--server", "--sender", "-logtpre.iLsfxCIvu", "--specials", "."),
                pull("-a --no-specials", I, "--server", "--sender", "-logDtpre.iLsfxCIvu", "--no-specials", "."),
                pull("-rt --specials", I, "--server", "--sender", "-tre.iLsfxCIvu", "--specials", "."),
                pull("-rt --devices", I, "--server", "--sender", "-Dtre.iLsfxCIvu", "--no-specials", "."),
                push("-d --delete", NO_I, "--server", "-de.LsfxCIvu", "--no-r", "--delete", "."),
                push("-rd --delete", I, "--server", "-re.iLsfxCIvu", "--delete", "."),
                pull("-rt --protocol=29", I, "--server", "--sender", "-tr", "."),
                push("-av --protocol=29 --delete -z", I, "--server", "-vlogDtprz", "--delete", "."),
                pull("-rt --protocol=30", I, "--server", "--sender", "-tre.iLsfxCIvu", "."),
                // filters travel in the protocol, --chmod stays with the client
                pull("-rt --chmod=u+rwx -F --exclude=x --include=y", I, "--server", "--sender", "-tre.iLsfxCIvu", "."),
                push("-a --no-o --no-g --no-p --no-t --no-l", I, "--server", "-Dre.iLsfxCIvu", "."),
                // option values are backslash-escaped (safe_arg); 3.2.7 sends the same
                push("-rt --backup-dir=a\u0000b --suffix=*x", I, "--server", "-btre.iLsfxCIvu",
                        "--backup-dir", "a\\ b", "--suffix=\\*x", "."),
                push("-rt --partial-dir=p;d --checksum-choice=xxh128,md5", I, "--server", "-tre.iLsfxCIvu",
                        "--checksum-choice=xxh128,md5", "--partial-dir", "p\\;d", "."),
                // client rsync 3.2.7
                pull("-rt --compress-choice=zstd --compress-level=3", I, "--server", "--sender", "-tre.iLsfxCIvu",
                        "--compress-level=3", "--compress-choice=zstd", "."),
                push("-rt -i --bwlimit=100 -B 2048", I, "--server", "-tre.iLsfxCIvu", "--log-format=%i", "-B2048",
                        "--bwlimit=100", "."),
                push("-rt --inplace --partial --max-size=1M", I, "--server", "-tre.iLsfxCIvu",
                        "--max-size=1048576", "--inplace", "."));
    }

    @ParameterizedTest(name = "{1} pull={0}")
    @MethodSource("captured")
    void matchesStockClient(boolean pull, String userArgs, String caps, List<String> expected) {
        List<String> argv = new ArrayList<>();
        for (String a : userArgs.split(" ")) {
            argv.add(a.replace('\u0000', ' ')); // \0 stands for a space inside one argument
        }
        argv.add("src/");
        argv.add("dst/");
        Options o = OptionParser.parse(argv);
        assertEquals(expected, ServerArgs.build(o, pull, o.protocolVersion(), caps));
    }

    @Test
    void listingWithoutDestinationImpliesDirs() {
        // captured: "rsync rsync://host/mod/" and "rsync -r rsync://host/mod/"
        Options o = OptionParser.parse("rsync://127.0.0.1/mod/");
        assertEquals(List.of("--server", "--sender", "-de.LsfxCIvu", "."), ServerArgs.build(o, true, 32, NO_I));
        o = OptionParser.parse("-r", "rsync://127.0.0.1/mod/");
        assertEquals(List.of("--server", "--sender", "-re.iLsfxCIvu", "."), ServerArgs.build(o, true, 32, I));
    }

    @Test
    void explicitListOnlyIsPassedOn() {
        Options o = OptionParser.parse("--list-only", "-r", "rsync://h/mod/", "x");
        assertEquals(List.of("--server", "--sender", "-re.fxCIvu", "--list-only", "."), ServerArgs.build(o, true, 32));
    }

    @Test
    void defaultCapabilitiesOfferIncRecursionBothWaysAndDropSymlinkTimesAndIconv() {
        Options o = OptionParser.parse("-a", "src/", "dst/");
        assertEquals(List.of("--server", "--sender", "-logDtpre.ifxCIvu", "."), ServerArgs.build(o, true, 32));
        o = OptionParser.parse("-av", "--delete", "src/", "dst/");
        assertEquals(List.of("--server", "-vlogDtpre.ifxCIvu", "--delete", "."), ServerArgs.build(o, false, 32));
    }

    /**
     * A push offers incremental recursion by rsync's rule for a sender: whatever the receiver's deletion or
     * update options (the receiving server decides on those), only not with --no-i-r or without -r; and not
     * with --files-from, whose listed paths jrsync sends in one list.
     */
    @Test
    void aPushOffersIncRecursionAsRsyncsSenderDoes() {
        for (String sw : List.of("--delete-before", "--delete-after", "--delay-updates")) {
            assertEquals("-logDtpre.ifxCIvu", ServerArgs.build(OptionParser.parse("-a", sw, "src/", "dst/"), false, 32)
                    .get(1), sw);
        }
        assertEquals("-logDtpre.fxCIvu", ServerArgs.build(OptionParser.parse("-a", "--no-i-r", "src/", "dst/"), false, 32)
                .get(1));
        assertEquals("-logDtpe.fxCIvu", ServerArgs.build(OptionParser.parse("-lptgoD", "src/", "dst/"), false, 32)
                .get(1), "no recursion");
        Options listed = OptionParser.parse("-a", "src/", "dst/");
        listed.filesFrom = List.of("a");
        assertEquals("-logDtpre.fxCIvu", ServerArgs.build(listed, false, 32).get(1), "--files-from");
    }

    /**
     * rsync's --no-i-r drops the i from the capability letters, and so do the options its receiver cannot apply
     * list by list ({@code rsync/compat.c:set_allow_inc_recurse}); plain --delete (during) keeps it.
     */
    @Test
    void incRecursionIsOfferedAsRsyncAllowsIt() {
        for (String sw : List.of("--no-inc-recursive", "--no-i-r", "--delete-before", "--delete-after",
                "--delay-updates", "--prune-empty-dirs")) {
            assertEquals("-logDtpre.fxCIvu", ServerArgs.build(OptionParser.parse("-a", sw, "src/", "dst/"), true, 32)
                    .get(2), sw);
        }
        for (String sw : List.of("--inc-recursive", "--i-r", "--delete", "--delete-during", "--delete-delay")) {
            assertEquals("-logDtpre.ifxCIvu", ServerArgs.build(OptionParser.parse("-a", sw, "src/", "dst/"), true, 32)
                    .get(2), sw);
        }
        assertEquals("-logDtpe.fxCIvu", ServerArgs.build(OptionParser.parse("-lptgoD", "src/", "dst/"), true, 32)
                .get(2), "no recursion");
    }

    @Test
    void negotiatedProtocolBelow30HasNoCapabilityString() {
        Options o = OptionParser.parse("-a", "src/", "dst/");
        assertEquals(List.of("--server", "--sender", "-logDtpr", "."), ServerArgs.build(o, true, 29));
    }

    @Test
    void emptyFlagStringIsOmittedBelow30() {
        Options o = OptionParser.parse("src", "dst");
        assertEquals(List.of("--server", "--sender", "."), ServerArgs.build(o, true, 29));
    }

    @Test
    void verbosityIsCappedAtNineLetters() {
        Options o = new Options();
        o.verbose = 12;
        assertEquals("-vvvvvvvvve.fxCIvu", ServerArgs.build(o, true, 32).get(2));
    }

    @Test
    void negativeModifyWindowUsesShortForm() {
        Options o = OptionParser.parse("-rt", "-@-1", "src", "dst");
        assertEquals(List.of("--server", "-tre.ifxCIvu", "-@-1", "."), ServerArgs.build(o, false, 32));
    }

    @Test
    void basisDirsGoToAPushedDaemonAndAllowTwoFuzzyLevels() {
        Options o = OptionParser.parse("-rtyy", "src", "dst");
        assertEquals("-ytre.ifxCIvu", ServerArgs.build(o, false, 32).get(1));
        o = OptionParser.parse("-rtyy", "--copy-dest=../old", "--copy-dest", "/abs old", "src", "dst");
        List<String> args = ServerArgs.build(o, false, 32);
        assertEquals("-yytre.ifxCIvu", args.get(1));
        // rsync sends each as two arguments, after --temp-dir
        assertEquals(List.of("--copy-dest", "../old", "--copy-dest", "/abs\\ old", "."),
                args.subList(args.size() - 5, args.size()));
        // a pull's receiver is the client itself: the server is not told
        assertTrue(ServerArgs.build(o, true, 32).stream().noneMatch(a -> a.startsWith("--copy-dest")));
    }

    @Test
    void omitDirTimesIsNotSentWhenBackupImpliesIt() {
        Options o = OptionParser.parse("-rtOb", "src", "dst");
        assertEquals("-btre.ifxCIvu", ServerArgs.build(o, false, 32).get(1));
        o = OptionParser.parse("-rtO", "--backup-dir=b", "src", "dst");
        assertEquals("-bOtre.ifxCIvu", ServerArgs.build(o, false, 32).get(1));
    }

    @Test
    void handBuiltOptionsUseTheSameImplications() {
        Options o = new Options();
        o.recursive = true;
        o.appendMode = 1;
        o.partial = true; // cleared by the implied --inplace
        o.backupDir = "old";
        assertEquals(List.of("--server", "-bre.ifxCIvu", "--backup-dir", "old", "--append", "."),
                ServerArgs.build(o, false, 32));
    }
}

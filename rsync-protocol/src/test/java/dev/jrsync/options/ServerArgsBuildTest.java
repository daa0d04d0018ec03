package dev.jrsync.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerArgs#build} where jrsync's own choices show: the capability letters it offers, and options set by
 * hand. What stock clients send for the same command lines is pinned by {@link ServerArgsGoldenTest}.
 */
class ServerArgsBuildTest {

    private static final String I = "iLsfxCIvu";
    private static final String NO_I = "LsfxCIvu";

    @Test
    void listingWithoutDestinationImpliesDirs() {
        // captured: "rsync rsync://host/mod/" and "rsync -r rsync://host/mod/"
        Options o = OptionParser.parse("rsync://127.0.0.1/mod/");
        assertEquals(List.of("--server", "--sender", "-de.LsfxCIvu", "."), ServerArgs.build(o, true, 32, NO_I));
        o = OptionParser.parse("-r", "rsync://127.0.0.1/mod/");
        assertEquals(List.of("--server", "--sender", "-re.iLsfxCIvu", "."), ServerArgs.build(o, true, 32, I));
    }

    /**
     * A list on the remote side goes to the server by its path, either way; a local one goes as "-" to a sending
     * server, which reads the names from the connection, and not at all to a receiving one.
     */
    @Test
    void filesFromGoesWhereTheListIsReadOrSent() {
        // captured from rsync 3.5.0: "-a --files-from=:some/list" and "-r --files-from=:list%20file --from0
        // --no-implied-dirs", pulled from and pushed to rsync://127.0.0.1:PORT/mod/
        Options o = OptionParser.parse("-a", "--files-from=:some/list", "rsync://127.0.0.1/mod/src/", "dst/");
        assertEquals(List.of("--server", "--sender", "-logDtpRe.LsfxCIvu", "--files-from", "some/list", "."),
                ServerArgs.build(o, true, 32, NO_I));
        assertEquals(List.of("--server", "-logDtpRe.LsfxCIvu", "--files-from", "some/list", "."),
                ServerArgs.build(o, false, 32, NO_I));
        o = OptionParser.parse("-r", "--files-from=:list file", "--from0", "--no-implied-dirs", "src/", "dst/");
        assertEquals(List.of("--server", "-rRe.iLsfxCIvu", "--files-from", "list\\ file", "--from0",
                "--no-implied-dirs", "."), ServerArgs.build(o, false, 32, I));
        o = OptionParser.parse("-a", "--files-from=list", "rsync://127.0.0.1/mod/src/", "dst/");
        assertEquals(List.of("--server", "--sender", "-logDtpRe.LsfxCIvu", "--files-from=-", "--from0", "."),
                ServerArgs.build(o, true, 32, NO_I));
        assertEquals(List.of("--server", "-logDtpRe.LsfxCIvu", "."), ServerArgs.build(o, false, 32, NO_I));
    }

    /**
     * A stock client passes its --info and --debug words to the server (options.c:server_options'
     * make_output_option, with rsync's own bound on the level): jrsync's server takes them (suite: scanner-argv-bounds).
     */
    @Test
    void aServerTakesTheClientsInfoAndDebugWords() {
        ServerArgs.Parsed parsed = ServerArgs.parseShell(List.of("--server", "-logDtpre.iLsfxCIvu", "--info=BACKUP4",
                "--debug=FLIST2", ".", "dst/"));
        assertEquals(4, parsed.options().infoBackup());
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
        OptionsBuilder listed = OptionParser.parse("-a", "src/", "dst/").toBuilder();
        listed.filesFrom = List.of("a");
        assertEquals("-logDtpre.fxCIvu", ServerArgs.build(listed.build(), false, 32).get(1), "--files-from");
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
        OptionsBuilder o = new OptionsBuilder();
        o.verbose = 12;
        assertEquals("-vvvvvvvvve.fxCIvu", ServerArgs.build(o.build(), true, 32).get(2));
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
        OptionsBuilder o = new OptionsBuilder();
        o.recursive = true;
        o.appendMode = 1;
        o.partial = true; // cleared by the implied --inplace
        o.backupDir = "old";
        assertEquals(List.of("--server", "-bre.ifxCIvu", "--backup-dir", "old", "--append", "."),
                ServerArgs.build(o.build(), false, 32));
    }

    /** -M's arguments go to the server after its other options (rsync/options.c:server_options' tail). */
    @Test
    void remoteOptionsComeLast() {
        Options o = OptionParser.parse("-a", "-M--del", "--remote-option=--super", "src/", "rsync://h/mod/");
        assertEquals(List.of("--server", "-logDtpre.ifxCIvu", "--del", "--super", "."), ServerArgs.build(o, false, 32));
        OptionException e = assertThrows(OptionException.class,
                () -> OptionParser.parse("-Mdel", "src/", "dst/"));
        assertTrue(e.getMessage().contains("Remote option must start with a dash: del"), e.getMessage());
    }

    /**
     * What jrsync does not do is refused by its own name, exit 4, in a command line and in a server list: --crtimes
     * (as rsync on Linux refuses it) and --iconv.
     */
    @Test
    void optionsNotDoneAreRefusedByName() {
        for (String[] args : new String[][] {{"-aN", "s/", "d/"}, {"--crtimes", "s/", "d/"}, {"--iconv=x", "s/", "d/"}}) {
            OptionException e = assertThrows(OptionException.class,
                    () -> OptionParser.parse(args));
            assertEquals(4, e.exitCode());
            assertTrue(e.getMessage().equals("jrsync: --crtimes is not supported by jrsync")
                    || e.getMessage().equals("jrsync: --iconv is not supported by jrsync"), e.getMessage());
        }
        for (String refused : List.of("--crtimes", "--iconv=utf8")) {
            OptionException server = assertThrows(OptionException.class,
                    () -> ServerArgs.parse(List.of("--server", "-vlogDtpre.iLsfxCIvu", refused, ".", "x")));
            assertEquals(4, server.exitCode());
            assertTrue(server.getMessage().contains(refused.replaceFirst("=.*", "") + " is not supported by jrsync"),
                    server.getMessage());
        }
        assertEquals(0, OptionParser.parse("--no-crtimes", "--no-N", "s/", "d/").hardLinks(), "negations are no-ops");
    }

    /**
     * {@code -U} travels as a letter after {@code t}, twice for {@code -UU}, which also means --open-noatime and so
     * sends no such option; --open-noatime with one -U, or none, is a long option ({@code rsync/options.c}).
     */
    @Test
    void atimesTravelAsLettersAndOpenNoatimeAsAnOption() {
        assertEquals(List.of("--server", "-logDtUpre.ifxCIvu", "."),
                ServerArgs.build(OptionParser.parse("-aU", "s/", "d/"), false, 32));
        assertEquals(List.of("--server", "--sender", "-logDtUUpre.fxCIvu", "."),
                ServerArgs.build(OptionParser.parse("-aUU", "--no-i-r", "s/", "d/"), true, 32));
        assertEquals(List.of("--server", "-logDtUpre.ifxCIvu", "--open-noatime", "."),
                ServerArgs.build(OptionParser.parse("-aU", "--open-noatime", "s/", "d/"), false, 32));
        assertEquals(List.of("--server", "--sender", "-re.fxCIvu", "--open-noatime", "."),
                ServerArgs.build(OptionParser.parse("-r", "--no-i-r", "--open-noatime", "s/", "d/"), true, 32));

        Options twice = ServerArgs.parse(List.of("--server", "--sender", "-logDtUUpre.fxCIvu", ".", "x")).options();
        assertEquals(2, twice.atimes());
        assertTrue(twice.openNoatime(), "-UU implies --open-noatime");
        Options once = ServerArgs.parse(List.of("--server", "-logDtUpre.fxCIvu", ".", "x")).options();
        assertEquals(1, once.atimes());
        assertFalse(once.openNoatime());
        assertEquals(0, OptionParser.parse("-aU", "--no-atimes", "s/", "d/").atimes());
    }

    /**
     * A server takes --no-inc-recursive as rsync's does (rsync's suite daemon-dot-file-force-wipe sends it), and
     * then grants no incremental recursion whatever the capability letters ask; a client never sends it.
     */
    @Test
    void aServerTakesNoIncRecursive() {
        Options o = ServerArgs.parse(List.of("--server", "--sender", "-re.iLsfxCIu", "--no-inc-recursive", ".", "x"))
                .options();
        assertFalse(o.allowIncRecurse(true));
        assertEquals(List.of("--server", "-re.fxCIvu", "."),
                ServerArgs.build(OptionParser.parse("-r", "--no-i-r", "s/", "d/"), false, 32));
    }

    /** {@code -X} as rsync's server_options sends it: 'X' (twice for -XX) after 'p' or 'E', and read back. */
    @Test
    void xattrsTravelAsTheirLetter() {
        Options o = OptionParser.parse("-aXX", "s/", "d/");
        assertEquals(2, o.xattrs());
        assertEquals(List.of("--server", "-logDtpXXre.ifxCIvu", "."), ServerArgs.build(o, false, 32));
        assertEquals(2, ServerArgs.parse(List.of("--server", "-logDtprXXe.iLsfxCIvu", ".", "x")).options().xattrs());
        assertEquals(0, OptionParser.parse("-aX", "--no-X", "s/", "d/").xattrs());
        OptionException e = assertThrows(OptionException.class, () -> OptionParser.parse("-aXX", "--fake-super", "s/", "d/"));
        assertTrue(e.getMessage().contains("--fake-super conflicts with -XX"), e.getMessage());
    }

    /** {@code -A} as rsync's server_options sends it: 'A' after 'p', before 'X'; it implies {@code -p}. */
    @Test
    void aclsTravelAsTheirLetter() {
        Options o = OptionParser.parse("-rAX", "s/", "d/");
        assertTrue(o.acls() && o.perms());
        assertEquals(List.of("--server", "-pAXre.ifxCIvu", "."), ServerArgs.build(o, false, 32));
        Options server = ServerArgs.parse(List.of("--server", "-logDtpAre.iLsfxCIvu", ".", "x")).options();
        assertTrue(server.acls());
        assertFalse(OptionParser.parse("-aA", "--no-A", "s/", "d/").acls());
        assertFalse(OptionParser.parse("-aA", "--no-acls", "s/", "d/").acls());
    }

    /**
     * {@code -s} as rsync's server_options writes it: 's' first in the letters, where the open part ends, and no
     * escapes in what follows, which no shell sees; without it the same values are escaped.
     */
    @Test
    void secludedArgsEndTheOpenPartAtTheLettersAndAreNotEscaped() {
        List<String> paths = List.of("a b*", "-x");
        Options o = OptionParser.parse("-as", "--backup-dir=b d*", "src/", "h:dst/");
        List<String> args = ServerArgs.forShell(o, false, 32, paths);
        assertEquals(List.of("--server", "-sblogDtpre.ifxCIvu", "--backup-dir", "b d*", ".", "a b*", "./-x"), args);
        ServerArgs.Divided divided = ServerArgs.divide(args);
        assertEquals(List.of("--server", "-sblogDtpre.ifxCIvu"), divided.open());
        assertEquals(List.of("--backup-dir", "b d*", ".", "a b*", "./-x"), divided.secluded());
        assertTrue(ServerArgs.secluded(divided.open()));

        List<String> escaped = ServerArgs.forShell(OptionParser.parse("-a", "--backup-dir=b d*", "src/", "h:dst/"),
                false, 32, paths);
        assertEquals(List.of("--server", "-blogDtpre.ifxCIvu", "--backup-dir", "b\\ d\\*", ".", "a\\ b*", "./-x"),
                escaped);
        assertEquals(escaped, ServerArgs.divide(escaped).open());
        assertTrue(ServerArgs.divide(escaped).secluded().isEmpty());
        assertFalse(ServerArgs.secluded(List.of("--server", "-logDtpre.ifxCIvu")));

        // the server parses both parts as one list
        ServerArgs.Parsed parsed = ServerArgs.parseShell(args);
        assertEquals(List.of("a b*", "./-x"), parsed.paths());
        assertEquals("b d*", parsed.options().backupDir());
    }

    @Test
    void oldArgsLeaveNamesAndThenValuesToTheRemoteShell() {
        List<String> paths = List.of("one two");
        Options once = OptionParser.parse("-a", "--old-args", "--backup-dir=b d", "h:src/", "dst/");
        assertEquals(List.of("--backup-dir", "b\\ d", ".", "one two"),
                ServerArgs.forShell(once, true, 32, paths).subList(3, 7));
        Options twice = OptionParser.parse("-a", "--old-args", "--old-args", "--backup-dir=b d", "h:src/", "dst/");
        assertEquals(List.of("--backup-dir", "b d", ".", "one two"),
                ServerArgs.forShell(twice, true, 32, paths).subList(3, 7));
        OptionException both = assertThrows(OptionException.class,
                () -> OptionParser.parse("-s", "--old-args", "h:src/", "dst/"));
        assertTrue(both.getMessage().endsWith("--secluded-args conflicts with --old-args."), both::getMessage);
    }
}

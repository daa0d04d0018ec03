package dev.jrsync.daemon;

import dev.jrsync.core.PathBytes;
import dev.jrsync.filter.FilterRules;
import dev.jrsync.filter.FilterSide;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.options.FilterArg;
import dev.jrsync.options.Options;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A module's own {@code filter}, {@code include from}, {@code include}, {@code exclude from} and
 * {@code exclude} lines, in that order ({@code rsync/clientserver.c:rsync_module} building
 * {@code daemon_filter_list}). They are matched against names relative to the module root and checked
 * before the client's rules: what they exclude is neither sent, nor received, nor deleted.
 */
final class ModuleFilter {
    private final FilterRules rules;
    private final Path root;

    private ModuleFilter(FilterRules rules, Path root) {
        this.rules = rules;
        this.root = root;
    }

    static ModuleFilter of(ModuleConfig m, Path root) {
        List<FilterArg> args = new ArrayList<>();
        for (String rule : splitFilterWords(value(m, "filter"))) {
            boolean exclude = rule.startsWith("- ") || rule.startsWith("exclude ");
            args.add(new FilterArg(FilterArg.Kind.FILTER, exclude ? dirToSubtree(rule) : rule));
        }
        if (m.isSet("include from")) {
            args.add(new FilterArg(FilterArg.Kind.INCLUDE_FROM, m.get("include from")));
        }
        for (String word : words(value(m, "include"))) {
            args.add(new FilterArg(FilterArg.Kind.INCLUDE, word));
        }
        if (m.isSet("exclude from")) {
            args.add(new FilterArg(FilterArg.Kind.EXCLUDE_FROM, m.get("exclude from")));
        }
        for (String word : words(value(m, "exclude"))) {
            args.add(new FilterArg(FilterArg.Kind.EXCLUDE, dirToSubtree(word)));
        }
        return new ModuleFilter(FilterRules.fromArgs(args, false), root);
    }

    /**
     * The sender's scan filter for a source whose transfer root is {@code transferRoot}: the module's
     * rules on module-relative names, then the client's on transfer-relative ones.
     */
    ScanFilter forSender(Path transferRoot, ScanFilter client) {
        return combined(FilterSide.SENDER, transferRoot, client);
    }

    /** What deletion below {@code transferRoot} leaves alone: the module's excluded names and the client's. */
    ScanFilter forDelete(Path transferRoot, ScanFilter client) {
        return combined(FilterSide.RECEIVER, transferRoot, client);
    }

    /** Whether an upload of {@code moduleRel} is refused ({@code rsync/generator.c:recv_generator}). */
    boolean refusesUpload(byte[] moduleRel, boolean isDir) {
        return !rules.rules().isEmpty() && rules.view(FilterSide.SENDER, root).excluded(moduleRel, isDir);
    }

    /**
     * The rules a client put among the server arguments, before the list {@code received} from it: merge files
     * read beneath the module, those the module's rules exclude taken as missing ({@code daemon_filter_list}).
     */
    FilterRules clientRules(Options options, FilterRules received) {
        if (options.filters().isEmpty()) {
            return received;
        }
        return FilterRules.fromDaemonArgs(options.filters(), options.deleteExcluded(), root,
                moduleRel -> refusesUpload(moduleRel, false)).then(received);
    }

    private ScanFilter combined(FilterSide side, Path transferRoot, ScanFilter client) {
        if (rules.rules().isEmpty()) {
            return client;
        }
        byte[] prefix = PathBytes.of(root.relativize(transferRoot));
        return new Both(rules.view(side, root), prefix, client);
    }

    private record Both(ScanFilter module, byte[] prefix, ScanFilter client) implements ScanFilter {
        @Override
        public boolean excluded(byte[] relPath, boolean isDir) {
            return module.excluded(join(relPath), isDir) || client.excluded(relPath, isDir);
        }

        @Override
        public ScanFilter enter(Path dir, byte[] relDir) {
            return new Both(module.enter(dir, join(relDir)), prefix, client.enter(dir, relDir));
        }

        private byte[] join(byte[] rel) {
            if (prefix.length == 0) {
                return rel;
            }
            if (rel.length == 0 || (rel.length == 1 && rel[0] == '.')) {
                return prefix;
            }
            byte[] joined = Arrays.copyOf(prefix, prefix.length + 1 + rel.length);
            joined[prefix.length] = '/';
            System.arraycopy(rel, 0, joined, prefix.length + 1, rel.length);
            return joined;
        }
    }

    /**
     * rsync/clientserver.c parses a module's excludes with XFLG_DIR2WILD3: an exclude that ends in '/' covers
     * the directory's whole subtree ("dir/***"), so an upload into it is refused too; a bare name covers only
     * what has that name.
     */
    static String dirToSubtree(String exclude) {
        return exclude.endsWith("/") ? exclude + "***" : exclude;
    }

    /** Whether the destination itself is excluded, as a file or as a directory ({@code rsync/main.c:get_local_name}). */
    boolean excludesDestination(String destRel) {
        byte[] rel = PathBytes.bytes(destRel);
        return !destRel.isEmpty() && (refusesUpload(rel, false) || refusesUpload(rel, true));
    }

    private static String value(ModuleConfig m, String key) {
        return m.isSet(key) ? m.get(key) : "";
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    /**
     * A {@code filter} value holds several rules split at white space ({@code FILTRULE_WORD_SPLIT}): a
     * rule's prefix ("-", "+", "P", "exclude", ...) and its pattern are separate words.
     */
    static List<String> splitFilterWords(String s) {
        List<String> rules = new ArrayList<>();
        String pendingPrefix = null;
        for (String w : words(s)) {
            if (pendingPrefix != null) {
                rules.add(pendingPrefix + " " + w);
                pendingPrefix = null;
            } else if (isPrefixOnly(w)) {
                pendingPrefix = w;
            } else {
                rules.add(w);
            }
        }
        if (pendingPrefix != null) {
            rules.add(pendingPrefix); // "!" and the like stand alone
        }
        return rules;
    }

    private static boolean isPrefixOnly(String w) {
        return w.matches("[-+.:HSPR!][!/Censwrpx]*") && !w.equals("!")
                || w.matches("(exclude|include|hide|show|protect|risk|merge|dir-merge)(,[!/Censwrpx]*)?");
    }
}

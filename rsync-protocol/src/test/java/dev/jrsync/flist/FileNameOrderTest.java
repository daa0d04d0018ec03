package dev.jrsync.flist;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileNameOrderTest {
    private static FileEntry file(String name) {
        return FileEntry.builder(name, 0100644).build();
    }

    private static FileEntry dir(String name) {
        return FileEntry.builder(name, 040755).build();
    }

    private static List<String> sorted(int protocol, FileEntry... entries) {
        List<FileEntry> l = new ArrayList<>(Arrays.asList(entries));
        l.sort(FileNameOrder.forProtocol(protocol));
        return l.stream().map(e -> e.displayName() + (e.isDirectory() ? "/" : "")).toList();
    }

    private static int cmp(int protocol, FileEntry a, FileEntry b) {
        return Integer.signum(FileNameOrder.forProtocol(protocol).compare(a, b));
    }

    /** Reference §10.1 examples. */
    @Test
    void protocol29Examples() {
        assertEquals(List.of("./", "a.txt", "link", "sub/", "sub/big.bin"),
                sorted(32, file("sub/big.bin"), dir("sub"), file("link"), file("a.txt"), dir(".")));
        assertEquals(-1, cmp(29, file("zzz"), dir("aaa")));
        assertEquals(-1, cmp(29, dir("a.b"), dir("a")));
        assertEquals(-1, cmp(29, file("foo"), file("foo.txt")));
        // a file and a directory of the same name are different entries
        assertEquals(-1, cmp(29, file("x"), dir("x")));
        assertEquals(0, cmp(29, dir("x"), dir("x")));
        assertEquals(0, cmp(29, dir("."), dir(".")));
    }

    @Test
    void filesBeforeSubdirectoriesAtEveryLevel() {
        assertEquals(List.of("./", "b", "z", "a.b/", "a.b/c", "a/", "a/y", "a/a/", "a/a/q", "ab/"),
                sorted(31, dir("ab"), file("a.b/c"), dir("a.b"), file("a/a/q"), dir("a/a"), file("a/y"), dir("a"),
                        file("z"), file("b"), dir(".")));
        // a file at the top precedes anything inside a directory, whatever the bytes
        assertEquals(-1, cmp(30, file("zz"), file("a/b")));
        // "a/" vs "a.b/" : '.' (0x2E) < '/' (0x2F), so a.b's contents come before a's
        assertEquals(-1, cmp(30, file("a.b/x"), file("a/x")));
        // the root entry precedes everything, even names below '.'
        assertEquals(-1, cmp(29, dir("."), file("!x")));
        assertEquals(1, cmp(29, file("-x"), dir(".")));
    }

    /**
     * Orders observed with stock rsync 3.5.0 ({@code rsync -r --no-inc-recursive --list-only ./}
     * over this tree, and the same with {@code --protocol=28}).
     */
    @Test
    void ordersObservedWithStockRsync() {
        FileEntry[] tree = {file("z"), file("x/z"), dir("x"), file("x.y"), file("-x"), file("!x"), file("a0"),
                file("a-/f"), dir("a-"), file("a.b/c"), dir("a.b"), file("a/a/q"), dir("a/a"), file("a/y"), dir("a"),
                dir("ab"), file("b"), dir(".")};
        assertEquals(List.of("./", "!x", "-x", "a0", "b", "x.y", "z", "a-/", "a-/f", "a.b/", "a.b/c", "a/", "a/y",
                "a/a/", "a/a/q", "ab/", "x/", "x/z"), sorted(32, tree));
        assertEquals(List.of("!x", "-x", "./", "a/", "a-/", "a-/f", "a.b/", "a.b/c", "a/a/", "a/a/q", "a/y", "a0",
                "ab/", "b", "x/", "x.y", "x/z", "z"), sorted(28, tree));
    }

    @Test
    void unsignedBytes() {
        assertEquals(-1, cmp(32, file("z"), file("é")));
        assertEquals(-1, cmp(28, file("z"), file("é")));
    }

    /** Reference §10.2: plain bytes of the whole path; '.' is an ordinary name. */
    @Test
    void protocol28PlainBytes() {
        assertEquals(List.of("!x", "-x", "./", "a/", "a.txt", "a/b"),
                sorted(28, file("a/b"), file("a.txt"), dir("a"), dir("."), file("-x"), file("!x")));
        assertEquals(1, cmp(28, file("zzz"), dir("aaa")));
        assertEquals(0, cmp(28, file("x"), dir("x")));
    }

    /**
     * Cross-check against the reference's key formulation (§10.1), written the straightforward
     * way: each component becomes (kind, bytes) with kind 0 only for a non-directory's last name.
     */
    @Test
    void agreesWithTheComponentKeyDefinition() {
        Random rnd = new Random(29);
        String[] parts = {"a", "b", "a.b", "ab", "a-", "a0", "é", "z", ".x"};
        List<FileEntry> entries = new ArrayList<>();
        entries.add(dir("."));
        for (int i = 0; i < 250; i++) {
            int depth = 1 + rnd.nextInt(3);
            StringBuilder sb = new StringBuilder();
            for (int d = 0; d < depth; d++) {
                if (d > 0) {
                    sb.append('/');
                }
                sb.append(parts[rnd.nextInt(parts.length)]);
            }
            entries.add(rnd.nextBoolean() ? dir(sb.toString()) : file(sb.toString()));
        }
        Comparator<FileEntry> order = FileNameOrder.forProtocol(29);
        for (FileEntry a : entries) {
            for (FileEntry b : entries) {
                assertEquals(Integer.signum(keyCompare(a, b)), Integer.signum(order.compare(a, b)),
                        a + " vs " + b);
            }
        }
    }

    /**
     * An entry read from the wire keeps its directory part apart, shared with its siblings: it must sort
     * exactly as the same name kept whole, against either kind, in both orders.
     */
    @Test
    void splitNamesSortAsWholeNames() {
        Random rnd = new Random(30);
        String[] parts = {"a", "b", "a.b", "ab", "a-", "a0", "é", "z", ".x", "x"};
        List<FileEntry> whole = new ArrayList<>();
        whole.add(dir("."));
        for (int i = 0; i < 150; i++) {
            StringBuilder sb = new StringBuilder(parts[rnd.nextInt(parts.length)]);
            for (int d = rnd.nextInt(4); d > 0; d--) {
                sb.append('/').append(parts[rnd.nextInt(parts.length)]);
            }
            whole.add(rnd.nextBoolean() ? dir(sb.toString()) : file(sb.toString()));
        }
        java.util.Map<String, byte[]> shared = new java.util.HashMap<>();
        List<FileEntry> split = new ArrayList<>();
        List<FileEntry> unshared = new ArrayList<>();
        for (FileEntry e : whole) {
            String name = e.displayName();
            int slash = name.lastIndexOf('/');
            if (slash < 0) {
                split.add(e);
                unshared.add(e);
                continue;
            }
            byte[] base = name.substring(slash + 1).getBytes(StandardCharsets.UTF_8);
            byte[] dir = shared.computeIfAbsent(name.substring(0, slash), k -> k.getBytes(StandardCharsets.UTF_8));
            split.add(FileEntry.builder(dir, base, e.mode()).build());
            unshared.add(FileEntry.builder(dir.clone(), base, e.mode()).build());
            assertEquals(name, split.getLast().displayName());
        }
        for (int protocol : new int[] {28, 31}) {
            Comparator<FileEntry> order = FileNameOrder.forProtocol(protocol);
            for (int i = 0; i < whole.size(); i++) {
                for (int j = 0; j < whole.size(); j++) {
                    int expected = Integer.signum(order.compare(whole.get(i), whole.get(j)));
                    String pair = protocol + ": " + whole.get(i) + " vs " + whole.get(j);
                    assertEquals(expected, Integer.signum(order.compare(split.get(i), split.get(j))), pair);
                    assertEquals(expected, Integer.signum(order.compare(split.get(i), whole.get(j))), pair);
                    assertEquals(expected, Integer.signum(order.compare(whole.get(i), split.get(j))), pair);
                    assertEquals(expected, Integer.signum(order.compare(unshared.get(i), split.get(j))), pair);
                }
            }
        }
    }

    private static int keyCompare(FileEntry a, FileEntry b) {
        List<byte[]> ka = key(a);
        List<byte[]> kb = key(b);
        for (int i = 0; i < Math.min(ka.size(), kb.size()); i++) {
            int c = Arrays.compareUnsigned(ka.get(i), kb.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ka.size(), kb.size());
    }

    /** Kind byte first (0 file-like, 1 directory-like), then the bytes, '/' appended for kind 1. */
    private static List<byte[]> key(FileEntry e) {
        if (e.isRootDot()) {
            return List.of();
        }
        String[] comps = e.displayName().split("/");
        List<byte[]> key = new ArrayList<>();
        for (int i = 0; i < comps.length; i++) {
            boolean fileLike = i == comps.length - 1 && !e.isDirectory();
            String s = (fileLike ? "\0" : "\1") + comps[i] + (fileLike ? "" : "/");
            key.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return key;
    }

    @Test
    void sortIsStable() {
        FileEntry first = FileEntry.builder("same", 0100644).size(1).build();
        FileEntry second = FileEntry.builder("same", 0100644).size(2).build();
        List<FileEntry> l = new ArrayList<>(List.of(file("z"), first, file("a"), second));
        l.sort(FileNameOrder.forProtocol(32));
        assertTrue(l.indexOf(first) < l.lastIndexOf(second));
        assertEquals(1, l.get(1).size());
        assertEquals(2, l.get(2).size());
    }

    /** The scanner sorts each directory on its own: that order must be the whole list's order for those names. */
    @Test
    void siblingsSortAsTheWholeList() {
        Random r = new Random(7);
        String[] names = {"a", "a.b", "a-b", "ab", "b", "a0", "A", "\u00e9t\u00e9", "z", "a b"};
        List<FileEntry> kids = new ArrayList<>();
        for (String n : names) {
            kids.add(r.nextBoolean() ? dir("top/sub/" + n) : file("top/sub/" + n));
            kids.add(r.nextBoolean() ? dir("top/sub/" + n + "x") : file("top/sub/" + n + "x"));
        }
        for (int round = 0; round < 20; round++) {
            java.util.Collections.shuffle(kids, r);
            List<FileEntry> whole = new ArrayList<>(kids);
            whole.sort(FileNameOrder.forProtocol(32));
            List<FileEntry> siblings = new ArrayList<>(kids);
            siblings.sort(FileNameOrder.siblings("top/sub/".length()));
            assertEquals(whole, siblings);
        }
    }
}

package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of all five modules, as the JDK's jdeps sees their classes: no package depends on itself, and
 * rsync-protocol's are layered as README's Layout says.
 */
class PackageLayeringIT {
    private static final List<String> MODULES = List.of("rsync-protocol", "rsyncd-server", "watcher", "mirror", "cli");

    /** rsync-protocol's packages as README's Layout lists them, lowest layer first. */
    private static final List<String> CORE_LAYERS = List.of("core", "wire", "checksum", "delta.token", "delta", "flist",
            "options", "fs", "filter", "batch", "net", "clientserver", "session", "client", "api", "ui");

    @Test
    void jdepsFindsNoPackageCycle() {
        Map<String, Set<String>> uses = packageUses();
        List<Set<String>> cycles = cycles(uses);
        assertTrue(cycles.isEmpty(), () -> "package cycles: " + cycles);
    }

    @Test
    void eachCorePackageUsesOnlyTheLayersBelowIt() throws IOException {
        Map<String, Set<String>> uses = packageUses();
        List<String> upward = new ArrayList<>();
        for (String p : CORE_LAYERS) {
            int layer = CORE_LAYERS.indexOf(p);
            for (String used : uses.getOrDefault("dev.jrsync." + p, Set.of())) {
                int usedLayer = CORE_LAYERS.indexOf(used.substring("dev.jrsync.".length()));
                if (usedLayer >= layer) {
                    upward.add(p + " -> " + used);
                }
            }
        }
        assertEquals(new TreeSet<>(CORE_LAYERS), corePackages(), "README's layers are rsync-protocol's packages");
        assertTrue(upward.isEmpty(), () -> "uses of a layer not below: " + upward);
    }

    /** The packages under dev.jrsync that hold rsync-protocol's classes, named relative to it. */
    private static Set<String> corePackages() throws IOException {
        Path root = Path.of("..", "rsync-protocol", "target", "classes", "dev", "jrsync");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f.getParent()).toString().replace(File.separatorChar, '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Each jrsync package to the other jrsync packages its classes use, as jdeps reports them. */
    private static Map<String, Set<String>> packageUses() {
        List<String> args = new ArrayList<>(List.of("-verbose:package", "-filter:none", "-e", "dev\\.jrsync\\..*",
                "--multi-release", "25", "--module-path", ModularJarsIT.libraries().stream().map(Path::toString)
                        .collect(Collectors.joining(File.pathSeparator))));
        for (String m : MODULES) {
            Path classes = Path.of("..", m, "target", "classes");
            assertTrue(Files.isDirectory(classes), classes + " is not built");
            args.add(classes.toString());
        }
        StringWriter out = new StringWriter();
        int rc = ToolProvider.findFirst("jdeps").orElseThrow()
                .run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new));
        assertEquals(0, rc, out::toString);
        Map<String, Set<String>> uses = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith("dev.jrsync.") && f[2].startsWith("dev.jrsync.")
                    && !f[0].equals(f[2])) {
                uses.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[2]);
            }
        }
        assertTrue(uses.size() > 15, "jdeps listed too few packages to be read right:\n" + out);
        return uses;
    }

    /** Strongly connected sets of more than one package (Tarjan's algorithm, iterative). */
    static List<Set<String>> cycles(Map<String, Set<String>> uses) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> found = new ArrayList<>();
        for (String start : uses.keySet()) {
            if (index.containsKey(start)) {
                continue;
            }
            Deque<Map.Entry<String, List<String>>> work = new ArrayDeque<>();
            visit(start, index, low, stack, onStack, uses, work);
            while (!work.isEmpty()) {
                Map.Entry<String, List<String>> frame = work.peek();
                String v = frame.getKey();
                if (!frame.getValue().isEmpty()) {
                    String w = frame.getValue().removeFirst();
                    if (!index.containsKey(w)) {
                        visit(w, index, low, stack, onStack, uses, work);
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> component = new TreeSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    if (component.size() > 1) {
                        found.add(component);
                    }
                }
            }
        }
        return found;
    }

    private static void visit(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                              Set<String> onStack, Map<String, Set<String>> uses,
                              Deque<Map.Entry<String, List<String>>> work) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        work.push(Map.entry(v, new ArrayList<>(uses.getOrDefault(v, Set.of()))));
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> uses = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
                "d", Set.of("a")));
        assertEquals(List.of(Set.of("a", "b", "c")), cycles(uses));
    }
}

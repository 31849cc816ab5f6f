package io.exlm.mon;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code cli/src/main} form no cycle: each names the packages it uses (imports and qualified names,
 * the root package {@code io.exlm.mon} included), and the graph has no strongly connected part of more than one
 * package. The entry point lives in {@code cli}, which nothing else uses.
 */
class PackageCyclesTest {
    private static final Path MAIN = Launcher.root().resolve("cli/src/main/java/io/exlm/mon");
    private static final String ROOT = "(root)";
    private static final Pattern SUB = Pattern.compile("\\bio\\.exlm\\.mon\\.([a-z]+)\\.[A-Z]");
    private static final Pattern TOP = Pattern.compile("\\bio\\.exlm\\.mon\\.[A-Z]");

    /** Package to the packages its sources name. */
    static Map<String, Set<String>> graph(Path main) throws IOException {
        Map<String, Set<String>> g = new TreeMap<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path dir = main.relativize(f.getParent());
                String pkg = dir.toString().isEmpty() ? ROOT : dir.toString().replace('/', '.');
                String src = Files.readString(f);
                Set<String> uses = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = SUB.matcher(src);
                while (m.find()) {
                    uses.add(m.group(1));
                }
                if (TOP.matcher(src).find()) {
                    uses.add(ROOT);
                }
                uses.remove(pkg);
            }
        }
        return g;
    }

    /** The strongly connected parts with more than one package (Tarjan's algorithm). */
    static List<Set<String>> cycles(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String v : g.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, g, index, low, stack, out, next);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> g, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<Set<String>> out, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]++);
        stack.push(v);
        for (String w : g.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, g, index, low, stack, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> part = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                part.add(w);
            } while (!w.equals(v));
            if (part.size() > 1) {
                out.add(part);
            }
        }
    }

    @Test
    void thePackagesFormNoCycle() throws IOException {
        Map<String, Set<String>> g = graph(MAIN);
        assertThat(g).containsKeys(ROOT, "cli", "source", "promql", "expo", "http", "config");
        assertThat(cycles(g)).as("package cycles in " + g).isEmpty();
        // nothing but the entry point's own package uses the command line
        g.forEach((pkg, uses) -> assertThat(uses).as(pkg + " uses").doesNotContain("cli"));
    }

    @Test
    void theCheckFindsACycle() {
        Map<String, Set<String>> g = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
                "d", Set.of("a")));
        assertThat(cycles(g)).containsExactly(Set.of("a", "b", "c"));
    }
}

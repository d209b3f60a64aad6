package io.lanyard;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds the code to the layers that docs/architecture.md draws: the page's layer block is the one
 * source, so the page cannot drift from the code. Every package is on one layer; a package imports
 * only its own layer or lower ones, the ground floor imports nothing of ours, and no packages import
 * each other in a circle. The page names any exception, and there may be at most two.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/io/lanyard");
    private static final Path PAGE = Path.of("docs/architecture.md");
    /** A reference to a class of another package: an import, a static import or a qualified name. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.lanyard\\.(?:([a-z]+)\\.)?([A-Z]\\w*)");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final String ROOT = "(root)";

    private record Layering(List<String> layers, Map<String, Integer> rank, Set<String> exceptions) {
    }

    @Test
    void importsRunDownward() throws IOException {
        Layering layering = layering();
        Map<String, Set<String>> imports = packageImports();
        assertEquals(new TreeSet<>(imports.keySet()), new TreeSet<>(layering.rank().keySet()),
                "every package is on exactly one layer of " + PAGE + ", and every layer's package exists");
        List<String> upward = new ArrayList<>();
        for (Map.Entry<String, Set<String>> from : imports.entrySet()) {
            int rank = layering.rank().get(from.getKey());
            for (String to : from.getValue()) {
                int target = layering.rank().get(to);
                boolean ground = rank == 0;
                if ((target > rank || ground) && !layering.exceptions().contains(from.getKey() + " -> " + to)) {
                    upward.add(from.getKey() + " -> " + to);
                }
            }
        }
        assertEquals(List.of(), upward, "imports that run up a layer (or out of the ground floor)");
        assertTrue(layering.exceptions().size() <= 2, "at most two named exceptions: " + layering.exceptions());
    }

    @Test
    void noPackagesImportEachOtherInACircle() throws IOException {
        Map<String, Set<String>> imports = packageImports();
        for (String start : imports.keySet()) {
            List<String> path = cycleFrom(start, start, imports, new ArrayList<>(List.of(start)), new HashSet<>());
            if (path != null) {
                fail("packages import each other in a circle: " + String.join(" -> ", path));
            }
        }
    }

    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> imports,
                                          List<String> path, Set<String> seen) {
        for (String next : imports.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, imports, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }

    /** Which packages each package refers to, comments left out; the root package is {@value #ROOT}. */
    private static Map<String, Set<String>> packageImports() throws IOException {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path dir = SOURCES.relativize(file.getParent());
                String pkg = dir.toString().isEmpty() ? ROOT : dir.toString().replace('/', '.');
                Set<String> targets = imports.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(COMMENT.matcher(Files.readString(file)).replaceAll(""));
                while (m.find()) {
                    String target = m.group(1) == null ? ROOT : m.group(1);
                    if (!target.equals(pkg)) {
                        targets.add(target);
                    }
                }
            }
        }
        return imports;
    }

    /**
     * The page's block between {@code <!-- layers -->} and the end of its code fence: one line per
     * layer, top first ({@code flows: authorize token ...}), then {@code exception: a -> b} lines.
     */
    private static Layering layering() throws IOException {
        List<String> lines = Files.readAllLines(PAGE);
        int start = lines.indexOf("<!-- layers -->");
        assertTrue(start >= 0, PAGE + " has no <!-- layers --> block");
        Map<String, List<String>> byLayer = new LinkedHashMap<>();
        Set<String> exceptions = new HashSet<>();
        for (String line : lines.subList(start + 2, lines.size())) {
            if (line.startsWith("```")) {
                break;
            }
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equals("exception")) {
                exceptions.add(value.replaceAll("\\s+#.*", ""));
            } else {
                byLayer.put(name, List.of(value.split("\\s+")));
            }
        }
        List<String> layers = new ArrayList<>(byLayer.keySet());
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (String pkg : byLayer.get(layers.get(i))) {
                assertTrue(rank.put(pkg, layers.size() - 1 - i) == null, pkg + " is on two layers");
            }
        }
        return new Layering(layers, rank, exceptions);
    }
}

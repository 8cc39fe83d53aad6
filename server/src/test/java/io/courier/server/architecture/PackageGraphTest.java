package io.courier.server.architecture;

import io.courier.server.Server;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape ARCHITECTURE.md promises, checked on the compiled main classes with the JDK's own {@code jdeps}: the
 * server's packages form an acyclic graph, the plugin API depends on no other server package, and the root
 * package holds only the entry points.
 */
class PackageGraphTest {
    private static final String ROOT = "io.courier.server";
    private static Path classes;
    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void readGraph() throws Exception {
        classes = Path.of(Server.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(
                () -> new AssertionError("jdeps is missing: the build needs a full JDK"));
        StringWriter out = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                "-e", ROOT.replace(".", "\\.") + ".*", classes.toString());
        assertEquals(0, exit, out.toString());
        graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            // "   io.courier.server.stream   -> io.courier.server.loop   classes"
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("->") && parts[0].startsWith(ROOT)
                    && parts[2].startsWith(ROOT)) {
                graph.computeIfAbsent(parts[0], p -> new TreeSet<>());
                if (!parts[0].equals(parts[2])) {
                    graph.get(parts[0]).add(parts[2]);
                }
            }
        }
        assertTrue(graph.size() > 5, "jdeps found too few packages:\n" + out);
    }

    @Test
    void packagesFormAnAcyclicGraph() {
        List<List<String>> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            List<String> cycle = cycleThrough(start);
            if (cycle != null) {
                cycles.add(cycle);
            }
        }
        assertTrue(cycles.isEmpty(), "package cycles (each package depends on the next): " + cycles);
    }

    @Test
    void thePluginApiDependsOnNoOtherServerPackage() {
        assertEquals(Set.of(), graph.getOrDefault(ROOT + ".api", Set.of()),
                "io.courier.server.api is what plugins compile against; it may use only the protocol and Jackson");
    }

    @Test
    void theRootPackageHoldsOnlyTheEntryPoints() throws Exception {
        Path root = classes.resolve(ROOT.replace('.', '/'));
        try (Stream<Path> files = Files.list(root)) {
            Set<String> topLevel = files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.startsWith("package-info"))
                    .map(name -> name.substring(0, name.length() - ".class".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(Set.of("Server", "Main", "LoggingSetup")), topLevel);
        }
    }

    /** A path from {@code start} back to itself, or null. Depth-first, good enough for a few dozen packages. */
    private static List<String> cycleThrough(String start) {
        Deque<List<String>> paths = new ArrayDeque<>();
        paths.push(List.of(start));
        Set<String> seen = new TreeSet<>();
        while (!paths.isEmpty()) {
            List<String> path = paths.pop();
            for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
                List<String> longer = new ArrayList<>(path);
                longer.add(next);
                if (next.equals(start)) {
                    return longer;
                }
                if (seen.add(next)) {
                    paths.push(longer);
                }
            }
        }
        return null;
    }
}

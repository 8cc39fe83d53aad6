package io.courier.server.plugins;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Builds real plugin jars in a test: compiles the given sources against the server and lists them as services. */
final class PluginJars {
    private PluginJars() {
    }

    /**
     * @param sources class name to Java source; every class is listed in META-INF/services as a Handler
     */
    static Path build(Path work, String jarName, Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(work.resolve(jarName + "-src"));
        Path classes = Files.createDirectories(work.resolve(jarName + "-classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "-proc:none"));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null || javac.run(null, null, null, args.toArray(new String[0])) != 0) {
            throw new IllegalStateException("could not compile the test plugin (is this a JDK?)");
        }
        Path jar = work.resolve(jarName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.courier.server.api.Handler"));
            write(out, String.join("\n", sources.keySet()) + "\n");
            out.closeEntry();
        }
        return jar;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The source of a handler class {@code name} serving {@code type} with the given body of handle(). */
    static String handler(String name, String type, String body) {
        int dot = name.lastIndexOf('.');
        return "package " + name.substring(0, dot) + ";\n"
                + "import io.courier.protocol.Message;\n"
                + "import io.courier.server.api.Handler;\n"
                + "import io.courier.server.api.Session;\n"
                + "public class " + name.substring(dot + 1) + " implements Handler {\n"
                + "  public String type() { return \"" + type + "\"; }\n"
                + "  public String description() { return \"test plugin\"; }\n"
                + "  public Message handle(Message request, Session session) {\n" + body + "\n  }\n"
                + "}\n";
    }
}

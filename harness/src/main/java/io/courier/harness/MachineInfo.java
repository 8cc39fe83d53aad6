package io.courier.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the numbers were measured on: CPUs, CPU model, memory, OS and the JVM the servers run on.
 *
 * @param cpus        online CPUs ({@code nproc})
 * @param cpuModel    from {@code /proc/cpuinfo}
 * @param memory      MemTotal from {@code /proc/meminfo}
 * @param os          name, version and architecture
 * @param javaVersion {@code java -version} of the launcher used for servers and client
 */
public record MachineInfo(int cpus, String cpuModel, String memory, String os, String javaVersion) {
    private static final Pattern MODEL = Pattern.compile("(?m)^model name\\s*:\\s*(.+)$");
    private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^MemTotal:\\s+(\\d+)\\s+kB");

    /** Looks at this machine; what cannot be read is "unknown". */
    public static MachineInfo gather(Path java) {
        return new MachineInfo(
                nproc(),
                cpuModel(read("/proc/cpuinfo")),
                memTotal(read("/proc/meminfo")),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                javaVersion(java));
    }

    /** The first {@code model name} in cpuinfo text. */
    public static String cpuModel(String cpuinfo) {
        Matcher matcher = MODEL.matcher(cpuinfo);
        return matcher.find() ? matcher.group(1).trim() : "unknown";
    }

    /** MemTotal as GiB with one decimal, e.g. {@code 23.5 GiB}. */
    public static String memTotal(String meminfo) {
        Matcher matcher = MEM_TOTAL.matcher(meminfo);
        if (!matcher.find()) {
            return "unknown";
        }
        return String.format(java.util.Locale.ROOT, "%.1f GiB", Long.parseLong(matcher.group(1)) / (1024.0 * 1024.0));
    }

    /** {@code nproc} counts the CPUs this process may run on; the JVM's count can be capped by a container. */
    private static int nproc() {
        String out = run(List.of("nproc"));
        try {
            return Integer.parseInt(out.trim());
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private static String javaVersion(Path java) {
        String out = run(List.of(java.toString(), "-version"));
        return out.isBlank() ? System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                : out.strip().replace("\n", "; ");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            process.waitFor(30, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

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
 * Measures a server JVM's memory from outside: its retained heap, i.e. the bytes of live objects counted by
 * {@code jcmd PID GC.class_histogram} (which runs its own full GC and counts inside that safepoint, so garbage the
 * server's traffic makes between a GC and a reading cannot inflate it, as it does with {@code GC.heap_info}'s
 * "used"), and the resident set size ({@code VmRSS} in {@code /proc/PID/status}).
 */
public final class MemoryProbe {
    /** {@code total 1048576K, used 5261K} on G1's, Serial's and Parallel's heap lines. */
    private static final Pattern TOTAL_USED = Pattern.compile("total\\s+(\\d+)([KMG]),\\s*used\\s+(\\d+)([KMG])");
    /** ZGC / Shenandoah style: {@code used 8M, capacity 1024M}. */
    private static final Pattern USED_CAPACITY = Pattern.compile("used\\s+(\\d+)([KMG]),\\s*capacity");
    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
    /** The last line of {@code GC.class_histogram}: {@code Total  INSTANCES  BYTES}. */
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    private final Path jcmd;

    public MemoryProbe(Path jcmd) {
        this.jcmd = jcmd;
    }

    /** The jcmd next to a java launcher, else {@code jcmd} from the PATH. */
    public static MemoryProbe besides(Path java) {
        Path sibling = java.resolveSibling("jcmd");
        return new MemoryProbe(Files.isExecutable(sibling) ? sibling : Path.of("jcmd"));
    }

    /**
     * One memory sample of a process after a full GC.
     *
     * @param heapUsedBytes heap in use after the GC
     * @param rssBytes      resident set size
     */
    public record Sample(long heapUsedBytes, long rssBytes) {
    }

    /** Counts the live heap of {@code pid} (a full GC included) and reads its RSS. */
    public Sample sampleAfterFullGc(long pid) throws IOException, InterruptedException {
        return new Sample(liveHeapAfterFullGc(pid), rssBytes(pid));
    }

    /**
     * The bytes of all live objects, from {@code jcmd PID GC.class_histogram}, which runs a full GC and counts what
     * survived in one step. Unlike {@code GC.heap_info} after a separate {@code GC.run}, it does not include what a
     * busy server allocated between the two commands.
     */
    public long liveHeapAfterFullGc(long pid) throws IOException, InterruptedException {
        return parseHistogramTotalBytes(jcmd(pid, "GC.class_histogram"));
    }

    /** Resident set size of {@code pid}, in bytes, from {@code /proc/PID/status}. */
    public static long rssBytes(long pid) throws IOException {
        return parseVmRssBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status"),
                StandardCharsets.UTF_8));
    }

    /** The byte count of the {@code Total} line of a class histogram. */
    public static long parseHistogramTotalBytes(String histogram) {
        Matcher matcher = HISTOGRAM_TOTAL.matcher(histogram);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no Total line in GC.class_histogram output");
        }
        return Long.parseLong(matcher.group(2));
    }

    private String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " did not finish within 60 s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed (exit " + process.exitValue() + "): "
                    + text.strip());
        }
        return text;
    }

    /** Heap in use, in bytes, from {@code GC.heap_info} output (the generations summed where there are several). */
    public static long parseHeapUsedBytes(String heapInfo) {
        long used = 0;
        boolean found = false;
        for (String line : heapInfo.split("\\R")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher matcher = TOTAL_USED.matcher(line);
            if (matcher.find()) {
                used += bytes(matcher.group(3), matcher.group(4));
                found = true;
                continue;
            }
            matcher = USED_CAPACITY.matcher(line);
            if (matcher.find()) {
                used += bytes(matcher.group(1), matcher.group(2));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no heap usage in GC.heap_info output:\n" + heapInfo.strip());
        }
        return used;
    }

    /** Resident set size, in bytes, from {@code /proc/PID/status}. */
    public static long parseVmRssBytes(String status) {
        Matcher matcher = VM_RSS.matcher(status);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no VmRSS line in /proc/PID/status");
        }
        return Long.parseLong(matcher.group(1)) * 1024;
    }

    private static long bytes(String number, String unit) {
        long value = Long.parseLong(number);
        switch (unit) {
            case "G":
                return value << 30;
            case "M":
                return value << 20;
            default:
                return value << 10;
        }
    }
}

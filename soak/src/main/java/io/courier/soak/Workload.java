package io.courier.soak;

import java.util.List;

/**
 * What one well-behaved workload did and what went wrong: every operation it completed and checked, and every
 * lost, wrong or failed one.
 *
 * @param name       e.g. {@code echo (binary)}
 * @param operations operations completed and checked correct
 * @param problems   lost, duplicated, wrong or failed operations (0 is the only acceptable count)
 * @param detail     one line of figures for the report
 * @param samples    the first problems in words
 */
public record Workload(String name, long operations, long problems, String detail, List<String> samples) {
}

package io.courier.soak;

/**
 * One pass/fail criterion of the soak and the figures behind its verdict.
 *
 * @param name   what is checked, e.g. {@code heap after GC does not grow}
 * @param passed whether it held
 * @param detail the measured figures and the bound
 */
public record Check(String name, boolean passed, String detail) {
}

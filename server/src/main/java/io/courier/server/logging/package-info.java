/**
 * Logging that must never slow the event loop: the per-connection lines at the {@code connection-log} level, and
 * the asynchronous Logback appender that drops (and counts) rather than blocks when the disk or journal is slow.
 * Depends on nothing else in the server; the only package compiled against Logback.
 */
package io.courier.server.logging;

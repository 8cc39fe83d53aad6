/**
 * Counters, gauges and histograms (written on the loop, snapshotted for {@code stats}), requests by type, and
 * the monitoring listener: {@code /metrics} (Prometheus), {@code /healthz}, {@code /readyz}. Depends on logging
 * (the count of dropped log lines) only.
 */
package io.courier.server.metrics;

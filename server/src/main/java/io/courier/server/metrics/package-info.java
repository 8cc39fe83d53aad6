/**
 * Counters and gauges (read on the loop, snapshotted for {@code stats}) and the Prometheus endpoint.
 * Depends on nothing else in the server.
 */
package io.courier.server.metrics;

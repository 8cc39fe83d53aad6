/**
 * Configuration: {@link io.courier.server.config.ServerConfig} (every limit, validated), listener specs, and
 * the service's options as flags, {@code COURIER_*} variables and JSON keys (one table, {@code Options}).
 * Depends on files (its configuration record) and the protocol module; never on the running server.
 */
package io.courier.server.config;

/**
 * The entry points: {@link io.courier.server.Server} (builder and lifecycle: binds the listeners, starts the
 * event loop, wires handlers, files, rooms and plugins) and {@link io.courier.server.Main} ({@code java -jar
 * server.jar}: options, logging, signals, exit codes). May depend on every other package; nothing depends on it.
 */
package io.courier.server;

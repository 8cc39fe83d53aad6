/**
 * The command-line client, {@code courier.jar}: {@link io.courier.cli.CourierCli} parses the command line
 * (picocli) and runs one command per class ({@code ping}, {@code send}, {@code get}, {@code ls}, {@code rm},
 * {@code chat}, {@code stats}, {@code call}), each over one connection made by
 * {@link io.courier.cli.ConnectionOptions}. The protocol work is the Java client's
 * ({@code io.courier.protocol.client}); this package only turns it into lines, tables and progress bars, and
 * exit codes 0, 1 (the server said no, or could not be reached) and 2 (usage).
 */
package io.courier.cli;

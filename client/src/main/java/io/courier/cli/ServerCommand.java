package io.courier.cli;

import io.courier.protocol.client.MessageClient;
import io.courier.protocol.units.Quantities;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** A command that talks to the server over one connection, opened before and closed after {@link #run}. */
abstract class ServerCommand implements Callable<Integer> {
    @ParentCommand
    CourierCli root;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        validate();
        try (MessageClient client = root.connect()) {
            return run(client);
        }
    }

    /** Does the work; returns the exit code. Exceptions become one line and exit code 1. */
    abstract int run(MessageClient client) throws Exception;

    /** Checks the arguments before connecting; throw {@link #usage} for a wrong one. */
    void validate() throws Exception {
    }

    /** A usage error of this command: exit code 2, with its usage. */
    ParameterException usage(String sentence) {
        return new ParameterException(spec.commandLine(), sentence);
    }

    /** A {@code --chunk-size}: a size in the server's vocabulary, at most the default max-body-bytes. */
    int chunkBytes(String value) {
        int bytes;
        try {
            bytes = Quantities.intSize("--chunk-size", value);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (bytes < 1 || bytes > 16 * 1024 * 1024) {
            throw usage("--chunk-size must be 1 byte to 16MiB, got " + value);
        }
        return bytes;
    }

    Io io() {
        return root.io();
    }

    Duration timeout() {
        return root.connection.timeout;
    }

    String address() {
        return root.connection.address();
    }
}

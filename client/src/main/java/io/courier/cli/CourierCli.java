package io.courier.cli;

import io.courier.protocol.client.ErrorReplyException;
import io.courier.protocol.client.MessageClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * {@code courier [--host H] [--port P] COMMAND}: the command-line client. Exit codes: 0 done; 1 the server said no
 * (its error code and sentence are printed), or it could not be reached, or a local file could not be used;
 * 2 a wrong command line.
 */
@Command(name = "courier", mixinStandardHelpOptions = true, versionProvider = CourierCli.Version.class,
        sortOptions = false, usageHelpWidth = 110,
        description = {"Talks to a Courier server: files, rooms, stats and any message type.", ""},
        subcommands = {PingCommand.class, SendCommand.class, GetCommand.class, ListCommand.class,
            RemoveCommand.class, ChatCommand.class, StatsCommand.class, CallCommand.class},
        footer = {"",
            "Examples:",
            "  courier ping",
            "  courier send report.pdf             upload (resumes an interrupted upload), check the SHA-256",
            "  courier get report.pdf -o copy.pdf",
            "  courier chat lobby --name ann       type lines; Ctrl-D leaves",
            "  courier call echo '{\"text\":\"hi\"}'",
            "",
            "Exit codes: 0 done; 1 the server said no (courier: CODE: sentence), the server could not be reached, "
                    + "or a local file could not be read or written; 2 a wrong command line."})
public final class CourierCli implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    private final Io io;

    CourierCli(Io io) {
        this.io = io;
    }

    Io io() {
        return io;
    }

    /** A new connection to the server, authenticated if a token was given. */
    MessageClient connect() throws CliFailure, IOException, TimeoutException {
        return connection.open();
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a COMMAND is required");
    }

    /** Runs one command line with these streams and returns the exit code: what tests call, no System.exit. */
    public static int run(String[] args, Io io) {
        CommandLine commandLine = new CommandLine(new CourierCli(io));
        commandLine.setOut(new PrintWriter(io.out(), true));
        commandLine.setErr(new PrintWriter(io.err(), true));
        commandLine.setExecutionExceptionHandler((e, failed, parsed) -> explain(e, io));
        return commandLine.execute(args);
    }

    public static void main(String[] args) {
        // No logging backend in this jar: name SLF4J's no-op one, or it warns before every command, and keep its
        // own note about that choice quiet.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        System.exit(run(args, Io.system()));
    }

    /** One line on standard error, {@code courier: ...}, and the exit code for it. */
    private static int explain(Exception e, Io io) {
        if (e instanceof ErrorReplyException refused) {
            io.err().println("courier: " + refused.code() + ": " + refused.sentence());
        } else if (e instanceof CliFailure || e instanceof TimeoutException) {
            io.err().println("courier: " + e.getMessage());
        } else if (e instanceof NoSuchFileException missing) {
            io.err().println("courier: no such file: " + missing.getFile());
        } else if (e instanceof IOException) {
            io.err().println("courier: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } else {
            io.err().println("courier: failed: " + e);
            e.printStackTrace(io.err());
        }
        return FAILED;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CourierCli.class.getPackage().getImplementationVersion();
            return new String[] {"courier " + (version == null ? "(development build)" : version)};
        }
    }
}

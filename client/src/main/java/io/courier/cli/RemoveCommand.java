package io.courier.cli;

import io.courier.protocol.client.MessageClient;
import io.courier.protocol.client.RemoteFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code courier rm NAME}. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Deletes a file on the server (file.delete), and any partial upload of that name.")
final class RemoveCommand extends ServerCommand {
    @Parameters(paramLabel = "NAME", description = "The file's name on the server.")
    String name;

    @Override
    int run(MessageClient client) throws Exception {
        RemoteFiles.Deleted deleted = new RemoteFiles(client).timeout(timeout()).delete(name);
        StringBuilder line = new StringBuilder("deleted ").append(name);
        if (deleted.size() > 0 || deleted.partialBytes() == 0) {
            line.append(" (").append(Format.bytes(deleted.size())).append(')');
        }
        if (deleted.partialBytes() > 0) {
            line.append(deleted.size() > 0 ? " and" : ":").append(" a partial upload of ")
                    .append(Format.bytes(deleted.partialBytes()));
        }
        io().out().println(line);
        return CourierCli.OK;
    }
}

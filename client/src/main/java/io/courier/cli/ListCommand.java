package io.courier.cli;

import io.courier.protocol.client.MessageClient;
import io.courier.protocol.client.RemoteFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;

/** {@code courier ls}: the server's files as a table. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "Lists the server's files (file.list): name, size and time of the last change.")
final class ListCommand extends ServerCommand {
    @Option(names = "--bytes", description = "Sizes in bytes instead of KiB, MiB, GiB.")
    boolean exactBytes;

    @Override
    int run(MessageClient client) throws Exception {
        RemoteFiles.Listing listing = new RemoteFiles(client).timeout(timeout()).list();
        PrintStream out = io().out();
        if (listing.files().isEmpty()) {
            out.println("no files");
        } else {
            int nameWidth = "NAME".length();
            int sizeWidth = "SIZE".length();
            for (RemoteFiles.Entry file : listing.files()) {
                nameWidth = Math.max(nameWidth, file.name().length());
                sizeWidth = Math.max(sizeWidth, size(file.size()).length());
            }
            String row = "%-" + nameWidth + "s  %" + sizeWidth + "s  %s%n";
            out.printf(row, "NAME", "SIZE", "MODIFIED");
            for (RemoteFiles.Entry file : listing.files()) {
                out.printf(row, file.name(), size(file.size()), Format.time(file.modifiedMillis()));
            }
        }
        out.println(listing.files().size() + (listing.files().size() == 1 ? " file, " : " files, ")
                + Format.bytes(listing.usedBytes()) + " used of " + Format.bytes(listing.maxFilesBytes())
                + " (partial uploads included); largest file allowed " + Format.bytes(listing.maxFileBytes()));
        return CourierCli.OK;
    }

    private String size(long bytes) {
        return exactBytes ? Long.toString(bytes) : Format.bytes(bytes);
    }
}

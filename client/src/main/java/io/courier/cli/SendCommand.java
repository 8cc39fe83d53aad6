package io.courier.cli;

import io.courier.protocol.client.MessageClient;
import io.courier.protocol.client.RemoteFiles;
import io.courier.protocol.client.UploadReceipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code courier send FILE}: a chunked upload that resumes, with progress and the receipt checked. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Uploads FILE in chunks (file.put), with a progress bar, and prints the server's receipt, "
                + "checking its SHA-256 against the local file.",
            "If an earlier upload of the name was interrupted, it continues where the server stopped (file.status) "
                + "instead of starting over."})
final class SendCommand extends ServerCommand {
    @Parameters(paramLabel = "FILE", description = "The local file.")
    Path file;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME",
            description = "Name on the server (default: the file's own name).")
    String name;

    @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "256KiB",
            description = "Bytes per chunk, e.g. 64KiB, 1MiB (default: ${DEFAULT-VALUE}).")
    String chunkSize;

    private int chunkBytes;

    @Override
    void validate() throws CliFailure {
        chunkBytes = chunkBytes(chunkSize);
        if (!Files.isRegularFile(file)) {
            throw new CliFailure(Files.exists(file) ? file + " is not a regular file" : "no such file: " + file);
        }
        if (name == null) {
            name = file.getFileName().toString();
        }
    }

    @Override
    int run(MessageClient client) throws Exception {
        RemoteFiles files = new RemoteFiles(client).chunkBytes(chunkBytes).timeout(timeout());
        ProgressBar progress = new ProgressBar(io(), "sent", name);
        long start = System.nanoTime();
        UploadReceipt receipt;
        try {
            receipt = files.upload(file, name, progress);
        } finally {
            progress.end();
        }
        long nanos = System.nanoTime() - start;
        long sent = receipt.size() - receipt.resumedFrom();
        io().out().println("sent " + file + " as " + receipt.name() + ": " + Format.bytes(receipt.size()) + " ("
                + receipt.size() + " bytes) in " + Format.seconds(nanos) + ", " + Format.rate(sent, nanos)
                + (receipt.resumedFrom() > 0 ? ", resumed at byte " + receipt.resumedFrom() : ""));
        io().out().println("sha256 " + receipt.sha256() + ", the same as the local file");
        return CourierCli.OK;
    }
}

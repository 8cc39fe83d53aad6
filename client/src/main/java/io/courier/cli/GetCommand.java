package io.courier.cli;

import io.courier.protocol.client.DownloadResult;
import io.courier.protocol.client.MessageClient;
import io.courier.protocol.client.RemoteFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code courier get NAME}: a chunked download with progress, its size checked. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Downloads NAME in chunks (file.get), with a progress bar, and checks that the size is the "
                + "server's. The file is written beside the output and moved over it when complete, so the output "
                + "is never half a file."})
final class GetCommand extends ServerCommand {
    @Parameters(paramLabel = "NAME", description = "The file's name on the server.")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write it (default: NAME in the current directory; - for standard output).")
    String output;

    @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "1MiB",
            description = "Bytes per chunk (default: ${DEFAULT-VALUE}).")
    String chunkSize;

    private int chunkBytes;

    @Override
    void validate() throws CliFailure {
        chunkBytes = chunkBytes(chunkSize);
        if (output == null) {
            output = name;
        }
        if ("-".equals(output)) {
            return;
        }
        if (Files.isDirectory(Path.of(output))) {
            output = Path.of(output).resolve(name).toString();
        }
        Path directory = Path.of(output).toAbsolutePath().getParent();
        if (!Files.isDirectory(directory)) {
            throw new CliFailure("no such directory: " + directory);
        }
    }

    @Override
    int run(MessageClient client) throws Exception {
        RemoteFiles files = new RemoteFiles(client).chunkBytes(chunkBytes).timeout(timeout());
        boolean toStdout = "-".equals(output);
        ProgressBar progress = new ProgressBar(io(), "got", name);
        long start = System.nanoTime();
        DownloadResult result;
        try {
            result = toStdout ? files.download(name, io().out(), progress)
                    : files.download(name, Path.of(output), progress);
        } finally {
            progress.end();
        }
        long nanos = System.nanoTime() - start;
        // With the file on standard output, the summary goes to standard error.
        PrintStream report = toStdout ? io().err() : io().out();
        report.println("got " + name + (toStdout ? "" : " into " + output) + ": " + Format.bytes(result.size())
                + " (" + result.size() + " bytes, as on the server) in " + Format.seconds(nanos) + ", "
                + Format.rate(result.size(), nanos));
        report.println("sha256 " + result.sha256());
        return CourierCli.OK;
    }
}

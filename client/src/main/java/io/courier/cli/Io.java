package io.courier.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The streams a command talks through, so that tests run the CLI in-process with their own. Output is UTF-8
 * whatever the platform's default, since room messages and file names are.
 */
public record Io(InputStream in, PrintStream out, PrintStream err, Terminal terminal) {
    public static Io system() {
        return new Io(new FileInputStream(FileDescriptor.in),
                new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                Terminal.detect());
    }
}

package io.courier.cli;

/** A failure the CLI explains in one sentence (exit code 1): cannot connect, a local file problem, and so on. */
final class CliFailure extends Exception {
    CliFailure(String sentence) {
        super(sentence);
    }

    CliFailure(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}

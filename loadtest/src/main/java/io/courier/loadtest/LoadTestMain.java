package io.courier.loadtest;

/** Placeholder entry point; the load-test client replaces it. */
public final class LoadTestMain {
    private LoadTestMain() {
    }

    public static void main(String[] args) {
        System.err.println("the load-test client is not built yet");
        System.exit(2);
    }
}

package io.courier.cli;

import io.courier.protocol.Message;
import io.courier.protocol.client.ChatRoom;
import io.courier.protocol.client.MessageClient;
import io.courier.protocol.client.RoomListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@code courier chat ROOM --name N}: a room's events as they come, each line of input said in it. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Joins ROOM as NAME, prints its messages and who joins and leaves as they come, and says "
                + "each line typed (empty lines are skipped). /who lists the members; /quit or Ctrl-D leaves.",
            "When standard input is not a terminal, it says each line read from it and leaves at its end, once the "
                + "server has acknowledged every message: echo hi | courier chat lobby --name bot"})
final class ChatCommand extends ServerCommand {
    /** Messages said and not yet acknowledged, at most: a long input file does not queue up without bound. */
    private static final int WINDOW = 64;
    private static final String ERASE_TYPED_LINE = "\033[1A\033[2K";

    @Parameters(paramLabel = "ROOM", description = "The room's name.")
    String room;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true, description = "Your name in the room.")
    String name;

    /** What the main thread waits for: a line of input, its end, or the end of the connection. */
    private record Input(String line, Throwable closed) {
        static final Input END = new Input(null, null);
    }

    @Override
    int run(MessageClient client) throws Exception {
        PrintStream out = io().out();
        boolean interactive = io().terminal().interactive();
        BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
        client.closed().thenAccept(why -> inputs.add(new Input(null, why)));
        client.addEventListener(event -> {
            if ("server.closing".equals(event.type())) {
                out.println("* the server is shutting down");
            }
        });
        try (ChatRoom chat = ChatRoom.join(client, room, name, new Printer(out), timeout())) {
            out.println("* joined " + room + " as " + name + "; members: " + String.join(", ", chat.members()));
            if (interactive) {
                out.println("* Enter says a line; /who lists the members; /quit or Ctrl-D leaves");
            }
            readLinesInBackground(inputs);
            Semaphore window = new Semaphore(WINDOW);
            AtomicReference<Throwable> refused = new AtomicReference<>();
            for (Input input = inputs.take(); input != Input.END; input = inputs.take()) {
                if (input.closed() != null) {
                    throw new CliFailure("the server closed the connection (" + input.closed().getMessage() + ")");
                }
                String line = input.line();
                if (interactive) {
                    out.print(ERASE_TYPED_LINE); // the server's echo of it shows it, in the room's order
                    out.flush();
                    if (line.equals("/quit")) {
                        break;
                    }
                    if (line.equals("/who")) {
                        out.println("* members: " + String.join(", ", chat.members()));
                        continue;
                    }
                }
                throwIfRefused(refused);
                if (line.isEmpty()) {
                    continue;
                }
                window.acquire();
                chat.say(line).whenComplete((reply, error) -> {
                    if (error != null) {
                        refused.compareAndSet(null, error instanceof CompletionException ? error.getCause() : error);
                    }
                    window.release();
                });
            }
            // Every message said must be acknowledged before we leave (a failed one releases its permit too).
            if (!window.tryAcquire(WINDOW, timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CliFailure("the server did not acknowledge every message within " + timeout());
            }
            throwIfRefused(refused);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // an embedding program stopping the chat: leave quietly
        }
        return CourierCli.OK;
    }

    private static void throwIfRefused(AtomicReference<Throwable> refused) throws Exception {
        Throwable error = refused.get();
        if (error instanceof Exception exception) {
            throw exception;
        }
        if (error != null) {
            throw new IOException(error);
        }
    }

    /** Standard input on a daemon thread, so a closed connection ends the chat even while nobody types. */
    private void readLinesInBackground(BlockingQueue<Input> inputs) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(io().in(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    inputs.add(new Input(line, null));
                }
            } catch (IOException e) {
                // standard input broke: the same as its end
            }
            inputs.add(Input.END);
        }, "courier-chat-input");
        reader.setDaemon(true);
        reader.start();
    }

    /** Events as lines: {@code <ann> hello}, {@code * bob joined}, {@code * bob left}. */
    private static final class Printer implements RoomListener {
        private final PrintStream out;

        Printer(PrintStream out) {
            this.out = out;
        }

        @Override
        public void onMessage(String name, String text, Message event) {
            out.println("<" + name + "> " + Format.printable(text)
                    + (event.bodyLength() > 0 ? "  [+" + Format.bytes(event.bodyLength()) + " body]" : ""));
        }

        @Override
        public void onJoined(String name) {
            out.println("* " + name + " joined");
        }

        @Override
        public void onLeft(String name, String reason) {
            out.println("* " + name + ("disconnected".equals(reason) ? " disconnected" : " left"));
        }
    }
}

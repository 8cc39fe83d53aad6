package io.courier.examples.plugin;

import io.courier.protocol.Message;
import io.courier.server.api.Fields;
import io.courier.server.api.Handler;
import io.courier.server.api.Session;

import java.util.Locale;

/**
 * {@code text.upper}: replies with the request's {@code text} in upper case. The whole of a plugin is this class
 * (public, with a public no-argument constructor) and one line naming it in
 * {@code META-INF/services/io.courier.server.api.Handler}.
 *
 * <pre>
 * mvn -q -DskipTests install
 * mkdir -p plugins &amp;&amp; cp examples/plugin/target/courier-example-plugin-*.jar plugins/
 * java -jar server/target/server.jar --plugins plugins
 * </pre>
 */
public final class UpperCaseHandler implements Handler {
    @Override
    public String type() {
        return "text.upper";
    }

    @Override
    public String description() {
        return "Replies with \"text\" in upper case (the example plugin).";
    }

    /** Cheap and non-blocking, so it runs on the event loop. A handler that touches disk or network says so. */
    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public Message handle(Message request, Session session) {
        String text = Fields.string(request, "text"); // a missing or non-string text is a bad_request
        return Message.replyTo(request).with("text", text.toUpperCase(Locale.ROOT));
    }
}

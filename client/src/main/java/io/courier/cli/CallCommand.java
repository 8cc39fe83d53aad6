package io.courier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Json;
import io.courier.protocol.Message;
import io.courier.protocol.client.ErrorReplyException;
import io.courier.protocol.client.MessageClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code courier call TYPE [JSON]}: any message type, the reply as JSON. */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = {"Sends {\"type\":TYPE, ...the fields of JSON} and prints the reply's header as one line of "
                + "JSON. Exit code 1 if the reply is an error (it is printed too).",
            "Example: courier call echo '{\"text\":\"hi\",\"n\":[1,2]}'"})
final class CallCommand extends ServerCommand {
    @Parameters(index = "0", paramLabel = "TYPE", description = "The message type, e.g. echo, types, file.status.")
    String type;

    @Parameters(index = "1", paramLabel = "JSON", arity = "0..1", defaultValue = "{}",
            description = "A JSON object: the other header fields (default: none).")
    String json;

    @Option(names = "--body", paramLabel = "FILE", description = "Send this file's bytes as the body.")
    Path bodyFile;

    @Option(names = "--body-out", paramLabel = "FILE", description = "Write the reply's body to this file.")
    Path bodyOut;

    private ObjectNode header;

    @Override
    void validate() {
        if (type.isEmpty()) {
            throw usage("TYPE must not be empty");
        }
        JsonNode fields;
        try {
            fields = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw usage("JSON is not valid JSON: " + e.getOriginalMessage());
        }
        if (fields == null || !fields.isObject()) {
            throw usage("JSON must be an object such as '{\"text\":\"hi\"}', got " + json);
        }
        JsonNode typeField = fields.get(Message.TYPE);
        if (typeField != null && !typeField.asText().equals(type)) {
            throw usage("JSON sets \"type\" to " + typeField + " but TYPE is \"" + type + "\"; leave it out of JSON");
        }
        header = Json.NODES.objectNode().put(Message.TYPE, type);
        header.setAll((ObjectNode) fields);
    }

    @Override
    int run(MessageClient client) throws Exception {
        byte[] body = bodyFile == null ? null : Files.readAllBytes(bodyFile);
        Message reply = client.call(new Message(header, body), timeout());
        io().out().println(reply.header().toString());
        if (reply.bodyLength() > 0) {
            if (bodyOut != null) {
                Files.write(bodyOut, reply.body());
            } else {
                io().err().println("courier: the reply has a body of " + reply.bodyLength()
                        + " bytes, not printed (--body-out FILE writes it)");
            }
        }
        ErrorReplyException.requireOk(reply);
        return CourierCli.OK;
    }
}

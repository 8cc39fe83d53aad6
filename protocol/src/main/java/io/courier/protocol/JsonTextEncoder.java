package io.courier.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Encodes a message as one JSON object and a newline, so clients can read replies line by line. A body travels as
 * {@code body_base64}, streamed by Jackson's base64 writer straight into the sink.
 */
final class JsonTextEncoder implements MessageEncoder {
    static final JsonTextEncoder INSTANCE = new JsonTextEncoder();
    private static final byte[] NEWLINE = {'\n'};

    private JsonTextEncoder() {
    }

    @Override
    public void encode(Message message, ByteSink sink) {
        byte[] built = message.isBuilt() && message.bodyLength() == 0 ? message.rawHeader() : null;
        if (built != null) {
            // A HeaderWriter's header is already the compact JSON Jackson would write here.
            sink.write(built, 0, built.length);
            sink.write(NEWLINE, 0, 1);
            return;
        }
        try (JsonGenerator generator = Json.FACTORY.createGenerator(new SinkStream(sink))) {
            generator.writeStartObject();
            for (Map.Entry<String, JsonNode> field : message.header().properties()) {
                if (message.bodyLength() > 0 && Message.BODY_BASE64.equals(field.getKey())) {
                    continue; // the real body wins over a stale copy in the header
                }
                generator.writeFieldName(field.getKey());
                generator.writeTree(field.getValue());
            }
            if (message.bodyLength() > 0) {
                generator.writeBinaryField(Message.BODY_BASE64, message.body());
            }
            generator.writeEndObject();
            generator.writeRaw('\n');
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise header " + message.type(), e);
        }
    }

    /** Adapts a sink to the OutputStream Jackson's generator writes to. */
    private static final class SinkStream extends OutputStream {
        private final ByteSink sink;

        SinkStream(ByteSink sink) {
            this.sink = sink;
        }

        @Override
        public void write(int b) {
            sink.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            sink.write(b, off, len);
        }
    }
}

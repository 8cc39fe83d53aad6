package io.courier.server.web;

import io.courier.protocol.ByteSink;
import io.courier.protocol.Framing;
import io.courier.protocol.Message;
import io.courier.protocol.MessageEncoder;

import java.nio.ByteBuffer;

/**
 * What an HTTP connection (not upgraded) answers when the connection itself has something to say: a head it
 * cannot parse (400, 431 when too long) or a timeout (408). The error message goes as JSON in the body, the same
 * object a framing's client would get, and the connection closes.
 */
final class HttpErrorEncoder implements MessageEncoder {
    static final HttpErrorEncoder INSTANCE = new HttpErrorEncoder();

    private HttpErrorEncoder() {
    }

    @Override
    public void encode(Message message, ByteSink sink) {
        ByteBuffer json = Framing.JSON_TEXT.encoder().encode(message);
        byte[] body = new byte[json.remaining()];
        json.get(body);
        byte[] response = new HttpResponse(status(message.errorCode())).body("application/json", body).close()
                .bytes();
        sink.write(response, 0, response.length);
    }

    static int status(String errorCode) {
        if (errorCode == null) {
            return 200;
        }
        switch (errorCode) {
            case "too_large": return 431;
            case "timeout": return 408;
            case "busy": return 503;
            case "bad_request": case "malformed": case "unknown_protocol": return 400;
            default: return 500;
        }
    }
}

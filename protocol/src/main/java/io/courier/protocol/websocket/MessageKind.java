package io.courier.protocol.websocket;

import io.courier.protocol.Framing;

/** The two kinds of WebSocket data message and the Courier framing each carries. */
public enum MessageKind {
    /** A text message: exactly one JSON message (bodies as body_base64). */
    TEXT(WebSocket.OP_TEXT, Framing.JSON_TEXT),
    /** A binary message: exactly one binary frame of PROTOCOL.md (u32 H, u32 B, header, body). */
    BINARY(WebSocket.OP_BINARY, Framing.BINARY);

    private final int opcode;
    private final Framing framing;

    MessageKind(int opcode, Framing framing) {
        this.opcode = opcode;
        this.framing = framing;
    }

    int opcode() {
        return opcode;
    }

    /** The Courier framing inside a message of this kind. */
    public Framing framing() {
        return framing;
    }

    static MessageKind of(int opcode) {
        return opcode == WebSocket.OP_TEXT ? TEXT : BINARY;
    }
}

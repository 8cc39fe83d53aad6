package io.courier.protocol.client;

import io.courier.protocol.Message;

import java.io.IOException;

/**
 * The server answered {@code ok:false}. Carries the error reply, so a program can read the error's code and its
 * extra fields (PROTOCOL.md, Errors) without parsing the sentence.
 */
public final class ErrorReplyException extends IOException {
    private final transient Message reply;

    public ErrorReplyException(Message reply) {
        super(describe(reply));
        this.reply = reply;
    }

    /** Returns {@code reply} when it is {@code ok:true}, otherwise throws it as an exception. */
    public static Message requireOk(Message reply) throws ErrorReplyException {
        if (!reply.isOk()) {
            throw new ErrorReplyException(reply);
        }
        return reply;
    }

    /** The error's {@code code}, e.g. {@code not_found}. */
    public String code() {
        String code = reply.errorCode();
        return code == null ? "error" : code;
    }

    /** The error's sentence, meant for a person. */
    public String sentence() {
        String sentence = reply.errorMessage();
        return sentence == null ? "the server refused " + reply.type() + " without saying why" : sentence;
    }

    /** The whole error reply. */
    public Message reply() {
        return reply;
    }

    private static String describe(Message reply) {
        String code = reply.errorCode();
        String sentence = reply.errorMessage();
        return (code == null ? "error" : code) + ": " + (sentence == null ? reply.header().toString() : sentence);
    }
}

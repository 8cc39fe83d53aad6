package io.courier.server.auth;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.api.Fields;
import io.courier.server.api.Handler;
import io.courier.server.api.RequestException;
import io.courier.server.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth} with {@code token}: the reply carries {@code user}. A wrong token gets {@code unauthorized}; after
 * {@value #MAX_FAILURES} wrong tokens on one connection it is closed after that reply, so a client cannot guess
 * tokens at the speed of the network. Runs on the loop: one SHA-256 of a short token per user is microseconds.
 */
public final class AuthHandler implements Handler {
    static final int MAX_FAILURES = 5;
    private static final String FAILURES = "courier.auth.failures";
    private static final Logger log = LoggerFactory.getLogger(AuthHandler.class);

    private final Access access;

    public AuthHandler(Access access) {
        this.access = access;
    }

    @Override
    public String type() {
        return "auth";
    }

    @Override
    public String description() {
        return "Authenticates this connection with a token (token): the reply names the user.";
    }

    @Override
    public Message handle(Message request, Session session) {
        if (!session.isConnection()) {
            throw RequestException.badRequest("auth needs a connection (TCP or a Unix socket): over UDP every "
                    + "datagram stands alone");
        }
        String token = Fields.string(request, "token");
        User user = access.users().byToken(token);
        if (user == null) {
            Integer previous = (Integer) session.attribute(FAILURES);
            int failures = previous == null ? 1 : previous + 1;
            session.attribute(FAILURES, failures);
            log.info("{}: wrong token ({} of {} allowed)", session, failures, MAX_FAILURES);
            if (failures >= MAX_FAILURES) {
                session.close(); // after this reply
                throw new RequestException(ErrorCode.UNAUTHORIZED, "wrong token, " + failures + " times on this "
                        + "connection; it is closed");
            }
            throw new RequestException(ErrorCode.UNAUTHORIZED, "wrong token; " + (MAX_FAILURES - failures)
                    + " more tries on this connection");
        }
        session.attribute(Access.USER, user.name());
        session.attribute(FAILURES, null);
        log.info("{} authenticated as {}", session, user.name());
        return Message.replyTo(request).with("user", user.name());
    }
}

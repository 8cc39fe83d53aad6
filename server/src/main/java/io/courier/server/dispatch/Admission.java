package io.courier.server.dispatch;

import io.courier.protocol.Message;
import io.courier.server.api.Session;

/**
 * Decides, before any handler runs, whether a request may be served at all: authentication and grants live
 * behind this, so the dispatcher and the handlers stay the same with or without users. Loop thread.
 */
@FunctionalInterface
public interface Admission {
    /** Everyone may do everything: a server without a users file. */
    Admission OPEN = (request, session) -> null;

    /** Null to serve {@code request}, else the error reply it gets instead (the connection stays open). */
    Message refusal(Message request, Session session);
}

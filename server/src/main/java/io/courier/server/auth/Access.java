package io.courier.server.auth;

import io.courier.protocol.ErrorCode;
import io.courier.protocol.Message;
import io.courier.server.api.Session;
import io.courier.server.dispatch.Admission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Set;

/**
 * Who may do what, from the users file: until a connection authenticates ({@code auth} with a token, or a verified
 * TLS client certificate naming a user) only {@code ping}, {@code types} and {@code auth} are served and anything
 * else gets {@code unauthorized}; after that each request needs a grant covering its type and resource, or gets
 * {@code forbidden}. The user is looked up again on every request, so a reload that removes a user or changes its
 * grants applies from that user's next request. UDP, where every datagram is a session of its own, is served only
 * {@code ping} and {@code types}: there is nothing an {@code auth} could stay attached to.
 */
public final class Access implements Admission {
    static final String USER = "courier.auth.user";
    private static final Logger log = LoggerFactory.getLogger(Access.class);
    private static final Set<String> OPEN_TYPES = Set.of("ping", "types", "auth");

    private final Path file;
    private volatile Users users;

    private Access(Path file, Users users) {
        this.file = file;
        this.users = users;
    }

    /** @throws IllegalArgumentException one sentence naming the file and what is wrong with it */
    public static Access load(Path file) {
        return new Access(file, Users.load(file));
    }

    /**
     * Reads the users file again; on success new requests see the new users. A broken file keeps the old ones.
     *
     * @throws IllegalArgumentException one sentence naming what is wrong; nothing changed
     */
    public void reload() {
        users = Users.load(file);
        log.info("Users reloaded from {}: {} user(s)", file, users.size());
    }

    public Path file() {
        return file;
    }

    Users users() {
        return users;
    }

    @Override
    public Message refusal(Message request, Session session) {
        String type = request.type();
        if (type == null || OPEN_TYPES.contains(type)) {
            return null; // a missing type is the dispatcher's bad_request
        }
        if (!session.isConnection()) {
            return Message.errorReply(request, ErrorCode.UNAUTHORIZED, "this server has users, and over UDP it "
                    + "serves only ping and types; connect over TCP (or a Unix socket) and authenticate with auth");
        }
        String name = (String) session.attribute(USER);
        if (name == null && session.peerIdentity() != null && authenticateAs(session, session.peerIdentity())) {
            name = session.peerIdentity(); // a verified client certificate naming a user is as good as its token
        }
        User user = name == null ? null : users.byName(name);
        if (user == null) {
            if (name != null) {
                session.attribute(USER, null);
                log.info("{}: user {} is no longer in {}; the connection is unauthenticated", session, name, file);
                return Message.errorReply(request, ErrorCode.UNAUTHORIZED, "user \"" + name + "\" is no longer "
                        + "known to this server; authenticate again with auth");
            }
            return Message.errorReply(request, ErrorCode.UNAUTHORIZED, "authenticate first with "
                    + "{\"type\":\"auth\",\"token\":\"...\"}; until then only ping, types and auth are served");
        }
        String resource = resource(request, type);
        if (!user.may(type, resource)) {
            String what = resource == null ? type : type + " on \"" + resource + "\"";
            return Message.errorReply(request, ErrorCode.FORBIDDEN, "user \"" + user.name() + "\" may not "
                    + what + "; its grants are " + user.grants() + ", and a grant such as \"" + type
                    + (resource == null ? "" : ":" + resource) + "\" would allow it");
        }
        return null;
    }

    /**
     * Makes {@code session} the user {@code name}, if the users file has one: for a TLS client certificate's
     * name. Returns whether it did.
     */
    public boolean authenticateAs(Session session, String name) {
        if (users.byName(name) == null) {
            return false;
        }
        session.attribute(USER, name);
        log.info("{} authenticated as {} by its client certificate", session, name);
        return true;
    }

    /** What a grant's resource part is matched against: the room of room.*, the file name of file.*. */
    static String resource(Message request, String type) {
        if (type.startsWith("room.")) {
            return request.textField("room");
        }
        if (type.startsWith("file.")) {
            return request.textField("name");
        }
        return null;
    }
}

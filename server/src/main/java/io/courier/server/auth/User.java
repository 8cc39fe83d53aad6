package io.courier.server.auth;

import java.util.List;

/** A user of the users file: a name, the SHA-256 of its token (never the token) and what it may do. */
record User(String name, byte[] tokenSha256, List<Grant> grants) {

    /** True when some grant covers a request of {@code type} naming {@code resource} (null for none). */
    boolean may(String type, String resource) {
        for (Grant grant : grants) {
            if (grant.covers(type, resource)) {
                return true;
            }
        }
        return false;
    }
}

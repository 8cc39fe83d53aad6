package io.courier.server.cluster;

import java.util.List;

/** A RESP3 push message: a pub/sub delivery ({@code message CHANNEL PAYLOAD}) or a (un)subscribe confirmation. */
record RespPush(List<Object> items) {
    String kind() {
        return items.isEmpty() ? "" : Resp.text(items.get(0));
    }
}

package io.courier.server.loop;

import java.nio.channels.SelectionKey;

/** What a selection key's attachment does when the selector reports it ready. Runs on the loop thread. */
public interface ChannelHandler {
    /** Called with the key's ready set; the handler reads, writes or accepts as the set says. */
    void onReady(SelectionKey key);
}

package io.courier.server.rooms;

import io.courier.protocol.Message;
import io.courier.protocol.client.MessageClient;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Every event one client has received, in order, for tests to wait on and inspect. */
public final class Inbox {
    private final List<Message> events = new ArrayList<>();

    public Inbox(MessageClient client) {
        client.onEvent(this::add);
    }

    private synchronized void add(Message event) {
        events.add(event);
    }

    public synchronized List<Message> all() {
        return new ArrayList<>(events);
    }

    /** The events of one type, in arrival order. */
    public synchronized List<Message> ofType(String type) {
        return events.stream().filter(e -> type.equals(e.type())).toList();
    }

    public synchronized boolean has(Predicate<Message> wanted) {
        return events.stream().anyMatch(wanted);
    }

    public synchronized int count(String type) {
        return (int) events.stream().filter(e -> type.equals(e.type())).count();
    }
}

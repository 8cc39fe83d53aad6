package io.courier.protocol.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.protocol.Message;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Membership of one room over a {@link MessageClient}: join, say, leave, and the room's events to a
 * {@link RoomListener}. One connection can be in several rooms; each {@code ChatRoom} sees only its own events.
 * Closing it leaves the room (the connection stays open).
 *
 * <pre>{@code
 * try (ChatRoom room = ChatRoom.join(client, "lobby", "ann", new RoomListener() {
 *         public void onMessage(String name, String text, Message event) { System.out.println(name + ": " + text); }
 *     }, Duration.ofSeconds(5))) {
 *     room.say("hello").join();   // completes with the reply: "delivered" members
 * }
 * }</pre>
 */
public final class ChatRoom implements AutoCloseable {
    private final MessageClient client;
    private final String room;
    private final String name;
    private final Duration timeout;
    private final MessageClient.Subscription subscription;
    /** Members in joining order, kept up to date from the events. */
    private final List<String> members = new ArrayList<>();
    private volatile boolean joined;

    private ChatRoom(MessageClient client, String room, String name, RoomListener listener, Duration timeout) {
        this.client = client;
        this.room = room;
        this.name = name;
        this.timeout = timeout;
        // Listening before the join is sent: a room.joined right behind our reply is not missed.
        this.subscription = client.addEventListener(event -> dispatch(event, listener));
    }

    /** Joins {@code room} as {@code name}; fails with the server's error (a name taken is {@code conflict}). */
    public static ChatRoom join(MessageClient client, String room, String name, RoomListener listener,
                                Duration timeout) throws IOException, TimeoutException {
        ChatRoom chat = new ChatRoom(client, room, name, Objects.requireNonNull(listener, "listener"), timeout);
        try {
            Message reply = client.callOk(Message.of("room.join").with("room", room).with("name", name), timeout);
            synchronized (chat.members) {
                chat.members.clear();
                for (JsonNode member : reply.header().path("members")) {
                    chat.members.add(member.asText());
                }
            }
            chat.joined = true;
            return chat;
        } catch (IOException | TimeoutException | RuntimeException e) {
            chat.unsubscribe();
            throw e;
        }
    }

    public String room() {
        return room;
    }

    public String name() {
        return name;
    }

    /** The members now, in joining order, this one included. */
    public List<String> members() {
        synchronized (members) {
            return List.copyOf(members);
        }
    }

    /** Says {@code text}; the future completes with the reply ({@code delivered}) or an {@link ErrorReplyException}. */
    public CompletableFuture<Message> say(String text) {
        return say(text, Map.of(), null);
    }

    /** Says {@code text} with more header fields (any JSON) and an optional body, which every member receives. */
    public CompletableFuture<Message> say(String text, Map<String, JsonNode> fields, byte[] body) {
        Message say = Message.of("room.say");
        ObjectNode header = say.header();
        fields.forEach(header::set);
        header.put("type", "room.say");
        header.put("room", room);
        header.put("text", text);
        return client.request(body == null ? say : say.withBody(body)).thenCompose(ChatRoom::okOrFailed);
    }

    /** Leaves the room and stops listening to it. */
    public void leave() throws IOException, TimeoutException {
        if (joined) {
            joined = false;
            try {
                client.callOk(Message.of("room.leave").with("room", room), timeout);
            } finally {
                unsubscribe();
            }
        }
    }

    /** Leaves if the connection is still open; a closed connection has left every room already. */
    @Override
    public void close() throws IOException {
        try {
            if (client.isOpen()) {
                leave();
            }
        } catch (TimeoutException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            unsubscribe();
        }
    }

    private static CompletableFuture<Message> okOrFailed(Message reply) {
        return reply.isOk() ? CompletableFuture.completedFuture(reply)
                : CompletableFuture.failedFuture(new ErrorReplyException(reply));
    }

    private void dispatch(Message event, RoomListener listener) {
        String type = event.type();
        if (event.isReply() || type == null || !type.startsWith("room.") || !room.equals(event.textField("room"))) {
            return;
        }
        String member = event.textField("name");
        switch (type) {
            case "room.message" -> listener.onMessage(member, event.textField("text"), event);
            case "room.joined" -> {
                synchronized (members) {
                    if (!members.contains(member)) {
                        members.add(member);
                    }
                }
                listener.onJoined(member);
            }
            case "room.left" -> {
                synchronized (members) {
                    members.remove(member);
                }
                listener.onLeft(member, event.textField("reason"));
            }
            default -> {
                // A room event this client does not know yet: nothing to tell.
            }
        }
    }

    private void unsubscribe() {
        subscription.close();
    }
}

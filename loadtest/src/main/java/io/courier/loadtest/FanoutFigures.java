package io.courier.loadtest;

/**
 * What only a fan-out run reports, beside the deliveries in {@link Report} (there {@code requestsSent} is the
 * deliveries owed, publishes times members, {@code repliesOk} those that came, the throughput deliveries/s and the
 * latency from each message's send time to its delivery).
 *
 * @param members           members that joined the room (the deliveries owed per message)
 * @param publishers        publishers that joined and said
 * @param room              the room
 * @param publishes         measured {@code room.say}s sent
 * @param publishesPerSecond measured publishes per second
 * @param outOfOrder        deliveries that came after a later message of the same publisher (also in mismatched)
 * @param unansweredSays    says with no reply by the end (also in lost)
 * @param publisherTarget   where the publishers were connected
 */
public record FanoutFigures(int members, int publishers, String room, long publishes, double publishesPerSecond,
                            long outOfOrder, long unansweredSays, String publisherTarget) {
}

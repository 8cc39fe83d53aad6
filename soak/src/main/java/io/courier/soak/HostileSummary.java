package io.courier.soak;

import java.util.List;
import java.util.Map;

/**
 * What one kind of hostile client did to the server and what it saw.
 *
 * @param kind       e.g. {@code garbage}
 * @param started    clients of this kind started
 * @param unexpected clients that saw something other than what PROTOCOL.md promises for their abuse
 * @param outcomes   what the clients saw, by outcome
 * @param samples    the first unexpected outcomes in words
 */
public record HostileSummary(String kind, long started, long unexpected, Map<String, Long> outcomes,
                             List<String> samples) {
}

/**
 * The plugin API: what a handler plugin compiles against, and the only server package a plugin may use.
 * {@link io.courier.server.api.Handler} serves one message type; {@link io.courier.server.api.Session} is the
 * client it serves (reply, push, close, attributes); {@link io.courier.server.api.RequestException} turns into an
 * error reply; {@link io.courier.server.api.Fields} reads request fields with clear errors.
 *
 * <p>Messages are {@code io.courier.protocol.Message}, whose header is a Jackson {@code ObjectNode}: Jackson's tree
 * types ({@code JsonNode}, {@code ObjectNode}, {@code ArrayNode}) are part of this contract, at the Jackson version
 * the server ships. Depends on the protocol module and Jackson only, never on another server package (checked by
 * {@code PackageGraphTest}).
 */
package io.courier.server.api;

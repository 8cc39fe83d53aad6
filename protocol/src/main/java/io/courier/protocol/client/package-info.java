/**
 * A blocking Java client of the Courier protocol. {@link io.courier.protocol.client.MessageClient} is one
 * connection (optionally TLS) with replies matched to requests by {@code id} and server events handed to listeners;
 * on top of it {@link io.courier.protocol.client.RemoteFiles} transfers files in pipelined chunks (uploads resume
 * what the server kept) and {@link io.courier.protocol.client.ChatRoom} is one room's membership. A refusal is an
 * {@link io.courier.protocol.client.ErrorReplyException} with the server's error code.
 */
package io.courier.protocol.client;

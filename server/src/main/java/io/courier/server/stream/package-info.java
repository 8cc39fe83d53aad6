/**
 * Stream connections (TCP and Unix domain sockets): accepting, reading with a budget, framing, the write
 * queue with watermarks, slow consumers, timeouts and lingering close. Depends on api, config, dispatch, loop,
 * metrics and transport.
 */
package io.courier.server.stream;

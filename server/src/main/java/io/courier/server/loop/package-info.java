/**
 * The event loop: one thread, one {@code Selector}, a task queue woken by one {@code wakeup()}, timers from one
 * deadline queue, and the listener contract it serves. Depends on config (listener specs) and metrics.
 */
package io.courier.server.loop;

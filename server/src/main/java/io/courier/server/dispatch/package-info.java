/**
 * From a decoded request to its handler and back: the registry of handlers by type, the dispatcher (unknown
 * types, handler failures, blocking handlers on the worker pool with one ordered lane per connection) and the
 * session base class. Depends on api, and metrics (each type's request counters).
 */
package io.courier.server.dispatch;

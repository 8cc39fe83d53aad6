/**
 * The built-in types every server serves: {@code ping}, {@code echo}, {@code types}, {@code stats}. Depends on
 * api, dispatch (the registry {@code types} lists) and metrics.
 */
package io.courier.server.builtin;

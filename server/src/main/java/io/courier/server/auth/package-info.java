/**
 * Who may do what: the users file ({@code --users}: token hashes and {@code TYPE[:RESOURCE]} grants), the
 * {@code auth} handler, {@link io.courier.server.auth.Access} (the {@link io.courier.server.dispatch.Admission} that
 * answers {@code unauthorized} or {@code forbidden} before a handler runs) and the {@code token} command. Depends
 * on api and on dispatch for the Admission hook; nothing in the server depends on it but the root package, which
 * wires it in when a users file is given.
 */
package io.courier.server.auth;

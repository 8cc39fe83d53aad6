/**
 * What running as a service needs beyond the server itself: the port file for launchers, the start-up checks and
 * {@code --check-config}, signal handling and the SIGHUP reload hook. Depends on config.
 */
package io.courier.server.service;

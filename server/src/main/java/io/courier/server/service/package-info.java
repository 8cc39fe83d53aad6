/**
 * What running as a service needs beyond the server itself: the port file for launchers. Depends on config.
 */
package io.courier.server.service;

/**
 * Loads handler plugins with {@code ServiceLoader} from the class path or a directory of jars. Depends on api.
 */
package io.courier.server.plugins;

package io.courier.server.dispatch;

import io.courier.server.api.Handler;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The handlers of one server, by type. Built before the server starts, read-only afterwards. */
public final class HandlerRegistry {
    /** Sorted, for listings; {@link #find} runs per request, on a hash map built from it. */
    private final Map<String, Handler> byType = new TreeMap<>();
    private final Map<String, Handler> lookup = new HashMap<>();

    /** Adds a handler; a second handler for the same type is a configuration error. */
    public HandlerRegistry register(Handler handler) {
        String type = handler.type();
        if (type == null || type.isEmpty()) {
            throw new IllegalArgumentException("handler " + handler.getClass().getName() + " has no type");
        }
        Handler previous = byType.putIfAbsent(type, handler);
        if (previous != null) {
            throw new IllegalArgumentException("two handlers for type '" + type + "': "
                    + previous.getClass().getName() + " and " + handler.getClass().getName());
        }
        lookup.put(type, handler);
        return this;
    }

    /** The handler for {@code type}, or {@code null}. */
    public Handler find(String type) {
        return lookup.get(type);
    }

    /** Every handler, sorted by type. */
    public Collection<Handler> handlers() {
        return Collections.unmodifiableCollection(byType.values());
    }

    /** The sorted list of known types, as {@code unknown_type} errors offer them. */
    public List<String> types() {
        return byType.keySet().stream().collect(Collectors.toUnmodifiableList());
    }
}

package io.courier.server.dispatch;

import io.courier.server.api.Session;

import java.util.HashMap;
import java.util.Map;

/** What every kind of session shares: handler attributes, in a small map created on first use. Thread-safe. */
public abstract class AbstractSession implements Session {
    private Map<String, Object> attributes;

    @Override
    public final synchronized Object attribute(String key) {
        return attributes == null ? null : attributes.get(key);
    }

    @Override
    public final synchronized void attribute(String key, Object value) {
        if (value == null) {
            if (attributes != null) {
                attributes.remove(key);
            }
            return;
        }
        if (attributes == null) {
            attributes = new HashMap<>(4);
        }
        attributes.put(key, value);
    }
}

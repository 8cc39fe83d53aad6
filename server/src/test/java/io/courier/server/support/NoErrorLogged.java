package io.courier.server.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code @ExtendWith(NoErrorLogged.class)}: each test of the class fails if the server logged an ERROR line while
 * it ran (after the class's own {@code @AfterEach}, so a server stopped there is included). Hostile clients, slow
 * consumers and protocol errors are planned closes, never a reason for an error in the log.
 */
public final class NoErrorLogged implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoErrorLogged.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(context.getUniqueId(), LogCapture.errors());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LogCapture errors = context.getStore(NAMESPACE).remove(context.getUniqueId(), LogCapture.class);
        errors.close();
        assertEquals(List.of(), errors.lines(), "the server logged no unexpected error");
    }
}

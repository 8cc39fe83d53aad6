package io.courier.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The one shared, thread-safe Jackson setup for headers. */
public final class Json {
    /**
     * Nesting deeper than this is refused before the tree is built. The string length limit sits above the
     * largest allowed header (16 MiB - 1); the decoders enforce the configured per-message limit themselves.
     */
    public static final int MAX_NESTING_DEPTH = 256;

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(Limits.ABSOLUTE_MAX_HEADER_BYTES)
                    .maxNumberLength(1000)
                    .build())
            .build();

    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }
}

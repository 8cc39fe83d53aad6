package io.courier.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
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
            // Write characters outside the BMP as 4-byte UTF-8, not as escaped surrogate pairs: shorter, and
            // Jackson 2.x's non-blocking parser cannot read such a pair in a field name when a read ends
            // between its two escapes, so our own replies would break our own decoder.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }
}

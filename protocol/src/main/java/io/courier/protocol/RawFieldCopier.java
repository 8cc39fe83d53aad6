package io.courier.protocol;

import java.util.Arrays;

/**
 * Copies the top-level fields of a header's bytes into a {@link HeaderWriter}, spelled as the header's tree would
 * serialise them, without building the tree ({@link HeaderWriter#fieldsOf}). Strings without escapes, integers
 * and literals are already in that spelling and are copied as they are; an escaped string is decoded and written
 * again; fractions and nested values are handed to Jackson one value at a time. What a tree would change as a
 * whole is not attempted: a repeated field name (the tree keeps the last value at the first place), an escaped
 * name, more than {@link #MAX_FIELDS} fields (finding repeats costs a comparison per pair). Then {@link #copy}
 * answers false and the writer takes the tree.
 */
final class RawFieldCopier extends StrictJsonReader {
    static final int MAX_FIELDS = 32;
    /** Field names repeat from header to header as types do: decoding one costs no String. */
    private static final RepeatedStrings NAMES = new RepeatedStrings();

    private final HeaderWriter writer;
    private final HeaderWriter.FieldRule rule;
    /** Start and end of each top-level name read so far, pairwise, to find a repeated one; grown as needed. */
    private int[] names = new int[2 * 6];
    private int fields;

    private RawFieldCopier(byte[] header, HeaderWriter writer, HeaderWriter.FieldRule rule) {
        super(header);
        this.writer = writer;
        this.rule = rule;
    }

    /**
     * Writes the fields of {@code header} (whose object opens at {@code openBrace}) that {@code rule} keeps; false
     * if the bytes need the tree after all, with part of them possibly written already (the caller takes them back).
     */
    static boolean copy(byte[] header, int openBrace, HeaderWriter writer, HeaderWriter.FieldRule rule) {
        RawFieldCopier copier = new RawFieldCopier(header, writer, rule);
        return copier.object(openBrace, 1) != UNSURE;
    }

    @Override
    boolean member(int depth, int nameStart, int nameEnd, boolean nameEscaped, int valueStart, int valueEnd) {
        if (depth != 1) {
            return true;
        }
        if (nameEscaped || fields == MAX_FIELDS || repeated(nameStart, nameEnd)) {
            return false;
        }
        if (2 * fields == names.length) {
            names = Arrays.copyOf(names, 2 * names.length);
        }
        names[2 * fields] = nameStart;
        names[2 * fields + 1] = nameEnd;
        fields++;
        String name = NAMES.text(bytes, nameStart + 1, nameEnd - 1);
        String replacement = rule.replacement(name);
        if (replacement != null) {
            writer.field(name, replacement);
        } else if (rule.keeps(name)) {
            writer.rawName(bytes, nameStart, nameEnd);
            value(valueStart, valueEnd);
        }
        return true;
    }

    private boolean repeated(int nameStart, int nameEnd) {
        for (int k = 0; k < fields; k++) {
            if (Arrays.equals(bytes, names[2 * k], names[2 * k + 1], bytes, nameStart, nameEnd)) {
                return true;
            }
        }
        return false;
    }

    /** The value from {@code start} to {@code end}, as the tree would spell it ({@link #escaped} is the reader's). */
    private void value(int start, int end) {
        byte first = bytes[start];
        if (first == '"' && escaped) {
            writer.stringValue(stringValue(start, end, true));
        } else if (first == '"' || first == 't' || first == 'f' || first == 'n' || isCanonicalInteger(start, end)) {
            writer.rawValue(bytes, start, end);
        } else {
            writer.jsonValue(JsonTreeBuilder.parse(bytes, start, end - start)); // a fraction, an object, an array
        }
    }

    /**
     * Whether the bytes are an integer spelled as a tree writes it back: any integer but {@code -0} (an int 0 to
     * the tree). Fractions and exponents are not (the tree writes a double's spelling), nor objects or arrays.
     */
    private boolean isCanonicalInteger(int start, int end) {
        if (bytes[start] != '-' && (bytes[start] < '0' || bytes[start] > '9')) {
            return false;
        }
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (b == '.' || b == 'e' || b == 'E') {
                return false;
            }
        }
        return !(end - start == 2 && bytes[start] == '-' && bytes[start + 1] == '0');
    }
}

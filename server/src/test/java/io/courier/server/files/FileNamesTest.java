package io.courier.server.files;

import io.courier.server.api.RequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of a file name, and names that must pass. */
class FileNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"report.pdf", "a b c.txt", "报告.txt", "emoji-\uD83D\uDE00.png", "a..b", "x", "trailing.",
        "dash-and_underscore", "UPPER.TXT"})
    void plainNamesPass(String name) {
        assertEquals(name, FileNames.check(name));
    }

    @Test
    void twoHundredBytesPassTwoHundredAndOneDoNot() {
        FileNames.check("a".repeat(200));
        assertRefused("a".repeat(201), "201 bytes long");
        assertRefused("报".repeat(67), "201 bytes long"); // 3 bytes each in UTF-8
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "/abs              | absolute path",
        "\\abs           | absolute path",
        "C:x               | absolute path",
        "..                | parent directory",
        "../x              | parent directory",
        "..\\x           | parent directory",
        "x/..              | parent directory",
        "a/../b            | parent directory",
        "a/b               | path separator",
        "a\\b            | path separator",
        ".                 | starts with '.'",
        ".bashrc           | starts with '.'",
        ".x.part           | starts with '.'",
    })
    void pathsAreRefused(String name, String reason) {
        assertRefused(name, reason);
    }

    @Test
    void emptyAndControlCharactersAreRefused() {
        assertRefused("", "is empty");
        assertRefused("tab\there", "U+0009 at position 3");
        assertRefused("del\u007f", "U+007F");
        assertRefused("c1\u0085", "U+0085");
        assertRefused("bell\u0007", "U+0007");
        assertRefused("lone\uD800", "lone UTF-16 surrogate");
    }

    @Test
    void theRefusalQuotesTheNameWithoutRawControlCharacters() {
        RequestException e = assertThrows(RequestException.class, () -> FileNames.check("a\nb"));
        assertTrue(e.getMessage().startsWith("file name \"a\\u000ab\""), e.getMessage());
    }

    private static void assertRefused(String name, String reason) {
        RequestException e = assertThrows(RequestException.class, () -> FileNames.check(name));
        assertEquals("bad_request", e.code().wireName());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}

package io.courier.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The blocks of a PEM file ({@code -----BEGIN LABEL----- base64 -----END LABEL-----}), as {@code openssl}, certbot
 * and most CAs write them. Text outside the blocks (openssl's "Bag Attributes", comments) is ignored.
 */
final class Pem {
    /** One block: its label (upper case, e.g. {@code CERTIFICATE}) and its decoded DER bytes. */
    record Block(String label, byte[] der) {
    }

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private Pem() {
    }

    /**
     * @param option the option naming the file, for the error sentence (e.g. {@code tls-cert})
     * @throws TlsConfigException when the file cannot be read or a block is broken
     */
    static List<Block> read(Path file, String option) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TlsConfigException(option + " " + file + " cannot be read: " + describe(e));
        }
        List<Block> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                return blocks;
            }
            int labelEnd = text.indexOf(DASHES, begin + BEGIN.length());
            if (labelEnd < 0) {
                throw broken(file, option);
            }
            String label = text.substring(begin + BEGIN.length(), labelEnd).trim().toUpperCase(Locale.ROOT);
            String endMarker = END + label + DASHES;
            int end = text.indexOf(endMarker, labelEnd);
            if (end < 0) {
                throw new TlsConfigException(option + " " + file + " has a '" + label + "' block without its END line");
            }
            String body = text.substring(labelEnd + DASHES.length(), end);
            if (body.contains(":")) {
                // "Proc-Type: 4,ENCRYPTED" headers: the traditional openssl encryption of a key.
                throw encrypted(file, option);
            }
            try {
                blocks.add(new Block(label, Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw broken(file, option);
            }
            from = end + endMarker.length();
        }
    }

    static TlsConfigException encrypted(Path file, String option) {
        return new TlsConfigException(option + " " + file + " holds an encrypted key; write it unencrypted with "
                + "'openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem' and protect that file instead");
    }

    private static TlsConfigException broken(Path file, String option) {
        return new TlsConfigException(option + " " + file + " is not valid PEM (a block's base64 is broken)");
    }

    static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}

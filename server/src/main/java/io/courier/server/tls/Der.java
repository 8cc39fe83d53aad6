package io.courier.server.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Just enough DER to turn the two legacy private key formats ({@code BEGIN RSA PRIVATE KEY}, PKCS#1, and
 * {@code BEGIN EC PRIVATE KEY}, SEC1) into the PKCS#8 the JDK's key factories read: read one element, write a
 * sequence, an octet string, an integer zero. Definite lengths only, as DER requires.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** Context-specific, constructed, tag 0: the curve parameters of a SEC1 key. */
    static final int CONTEXT_0 = 0xA0;

    /** rsaEncryption, 1.2.840.113549.1.1.1, as a complete OID element. */
    static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01,
            0x01, 0x01};
    /** id-ecPublicKey, 1.2.840.10045.2.1, as a complete OID element. */
    static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};

    private Der() {
    }

    /** One element at {@code offset}: its tag, where its content starts and ends. */
    record Element(int tag, int offset, int contentStart, int end, byte[] source) {
        /** The whole element, tag and length included. */
        byte[] encoded() {
            return Arrays.copyOfRange(source, offset, end);
        }

        Element firstChild() {
            return read(source, contentStart, end);
        }

        Element next(int limit) {
            return end < limit ? read(source, end, limit) : null;
        }
    }

    /** Reads the element starting at {@code offset}, which must end by {@code limit}. */
    static Element read(byte[] der, int offset, int limit) {
        if (offset + 2 > limit) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = der[offset] & 0xFF;
        int lengthByte = der[offset + 1] & 0xFF;
        int position = offset + 2;
        long length;
        if (lengthByte < 0x80) {
            length = lengthByte;
        } else {
            int count = lengthByte & 0x7F;
            if (count == 0 || count > 3 || position + count > limit) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[position++] & 0xFF);
            }
        }
        if (position + length > limit) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new Element(tag, offset, position, (int) (position + length), der);
    }

    static byte[] element(int tag, byte[]... contents) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : contents) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.size();
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    /** PKCS#8 PrivateKeyInfo: version 0, the algorithm identifier, the key in its own format. */
    static byte[] privateKeyInfo(byte[] algorithmIdentifier, byte[] privateKey) {
        return element(SEQUENCE, new byte[] {INTEGER, 1, 0}, algorithmIdentifier, element(OCTET_STRING, privateKey));
    }
}

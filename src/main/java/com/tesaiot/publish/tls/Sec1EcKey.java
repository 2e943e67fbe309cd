package com.tesaiot.publish.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Wraps a SEC1 EC private key ({@code BEGIN EC PRIVATE KEY}, what {@code openssl ecparam -genkey} writes and the
 * most common device key) as the PKCS#8 the JDK's {@code KeyFactory} reads (RFC 5915, RFC 5208). It exists for
 * start-up alone: a cold JVM read such a key through BouncyCastle's {@code PEMParser} in 125-140 ms, loading about
 * 130 of its classes, against 62 ms for the same key as PKCS#8 through the JDK (issue 18). It reads one exact
 * structure, a named P-256, P-384 or P-521 key in DER, and nothing else: whatever it does not recognise is left to
 * {@link BouncyCastlePem}, which reads it or says what is wrong with it, as before.
 */
final class Sec1EcKey {
    private static final int SEQUENCE = 0x30, INTEGER = 0x02, BIT_STRING = 0x03, OCTET_STRING = 0x04;
    private static final int CURVE_FIELD = 0xA0, PUBLIC_KEY_FIELD = 0xA1;
    private static final byte[] VERSION_1 = {1};
    /** PKCS#8's version 0, with its tag and length. */
    private static final byte[] PKCS8_VERSION = {INTEGER, 1, 0};
    /** id-ecPublicKey, 1.2.840.10045.2.1, with its tag and length. */
    private static final byte[] ID_EC_PUBLIC_KEY = HexFormat.of().parseHex("06072a8648ce3d0201");
    /** Each named curve's OID with its tag and length, in hex, to the length of the curve's private value in bytes. */
    private static final Map<String, Integer> CURVES = Map.of(
            "06082a8648ce3d030107", 32, // P-256 (secp256r1, prime256v1)
            "06052b81040022", 48, // P-384 (secp384r1)
            "06052b81040023", 66); // P-521 (secp521r1)

    private Sec1EcKey() {
    }

    /**
     * The PKCS#8 encoding of the SEC1 key {@code sec1}, on the curve its own {@code [0]} field names or else the one
     * the file's EC PARAMETERS block ({@code parameters}) names; empty for anything else.
     */
    static Optional<byte[]> pkcs8(byte[] sec1, Optional<byte[]> parameters) {
        try {
            // The JDK reads past the public key, in whichever point form: the certificate's is the one that counts.
            Fields key = Fields.of(sec1);
            Optional<byte[]> ownCurve = key.curve();
            if (ownCurve.isPresent() && parameters.isPresent() && !Arrays.equals(ownCurve.get(), parameters.get())) {
                return Optional.empty();
            }
            Optional<byte[]> curve = ownCurve.or(() -> parameters);
            Integer curveLength = curve.map(oid -> CURVES.get(HexFormat.of().formatHex(oid))).orElse(null);
            int privateLength = key.privateValue().length;
            if (!Arrays.equals(key.version(), VERSION_1) || curveLength == null || privateLength != curveLength) {
                return Optional.empty();
            }
            byte[] algorithm = element(SEQUENCE, ID_EC_PUBLIC_KEY, curve.get());
            return Optional.of(element(SEQUENCE, PKCS8_VERSION, algorithm, element(OCTET_STRING, sec1)));
        } catch (IllegalArgumentException notThisStructure) {
            return Optional.empty();
        }
    }

    /**
     * The public point a SEC1 key carries in its optional {@code [1]} field (openssl writes it), if it is there in the
     * uncompressed form; empty otherwise, and for anything that is not a SEC1 key.
     */
    static Optional<ECPoint> publicPoint(byte[] sec1) {
        try {
            Fields key = Fields.of(sec1);
            int size = key.privateValue().length;
            if (key.publicKeyBits().isEmpty()) {
                return Optional.empty();
            }
            // The BIT STRING's unused-bits octet (0), then 04, X and Y, each as long as the private value.
            byte[] bits = key.publicKeyBits().get();
            if (bits.length != 2 + 2 * size || bits[0] != 0 || bits[1] != 4) {
                return Optional.empty();
            }
            return Optional.of(new ECPoint(new BigInteger(1, Arrays.copyOfRange(bits, 2, 2 + size)),
                    new BigInteger(1, Arrays.copyOfRange(bits, 2 + size, bits.length))));
        } catch (IllegalArgumentException notThisStructure) {
            return Optional.empty();
        }
    }

    /** The public point of the SEC1 key a PKCS#8 EC key holds, as {@link #publicPoint} reads it; empty otherwise. */
    static Optional<ECPoint> publicPointInPkcs8(byte[] pkcs8) {
        try {
            Der info = new Der(new Der(pkcs8).next(SEQUENCE));
            info.next(INTEGER);
            byte[] algorithm = info.next(SEQUENCE);
            if (algorithm.length < ID_EC_PUBLIC_KEY.length || !Arrays.equals(algorithm, 0, ID_EC_PUBLIC_KEY.length,
                    ID_EC_PUBLIC_KEY, 0, ID_EC_PUBLIC_KEY.length)) {
                return Optional.empty();
            }
            return publicPoint(info.next(OCTET_STRING));
        } catch (IllegalArgumentException notThisStructure) {
            return Optional.empty();
        }
    }

    /**
     * The fields of a SEC1 key (RFC 5915: version, private value, optional curve, optional public key) as they are;
     * anything but that structure in DER is thrown as an {@link IllegalArgumentException}.
     */
    private record Fields(byte[] version, byte[] privateValue, Optional<byte[]> curve, Optional<byte[]> publicKeyBits) {
        static Fields of(byte[] sec1) {
            Der file = new Der(sec1);
            Der key = new Der(file.next(SEQUENCE));
            file.requireEnd();
            byte[] version = key.next(INTEGER);
            byte[] privateValue = key.next(OCTET_STRING);
            Optional<byte[]> curve = key.at(CURVE_FIELD) ? Optional.of(key.next(CURVE_FIELD)) : Optional.empty();
            Optional<byte[]> publicKeyBits = Optional.empty();
            if (key.at(PUBLIC_KEY_FIELD)) {
                Der publicKey = new Der(key.next(PUBLIC_KEY_FIELD));
                publicKeyBits = Optional.of(publicKey.next(BIT_STRING));
                publicKey.requireEnd();
            }
            key.requireEnd();
            return new Fields(version, privateValue, curve, publicKeyBits);
        }
    }

    /** A DER element: the tag, the length in the shortest form, the content. */
    private static byte[] element(int tag, byte[]... content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : content) {
            body.writeBytes(part);
        }
        int length = body.size(); // a key's encoding is far below 64 KiB
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xFF);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /**
     * Reads DER elements in order; anything but a definite length in its shortest form (short, or long in one or two
     * bytes), inside the input, is thrown as an {@link IllegalArgumentException}.
     */
    private static final class Der {
        private final byte[] bytes;
        private int position;

        Der(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean at(int tag) {
            return position < bytes.length && (bytes[position] & 0xFF) == tag;
        }

        byte[] next(int tag) {
            if (!at(tag)) {
                throw new IllegalArgumentException("not the expected tag");
            }
            position++;
            int first = octet();
            int length;
            if (first < 0x80) {
                length = first;
            } else if (first == 0x81) {
                length = atLeast(0x80, octet());
            } else if (first == 0x82) {
                length = atLeast(0x100, octet() << 8 | octet());
            } else {
                throw new IllegalArgumentException("an indefinite length (0x80) or one longer than a key's");
            }
            if (length > bytes.length - position) {
                throw new IllegalArgumentException("a length beyond the input");
            }
            position += length;
            return Arrays.copyOfRange(bytes, position - length, position);
        }

        void requireEnd() {
            if (position != bytes.length) {
                throw new IllegalArgumentException("bytes after the structure");
            }
        }

        private int octet() {
            if (position >= bytes.length) {
                throw new IllegalArgumentException("the input ends inside a length");
            }
            return bytes[position++] & 0xFF;
        }

        private static int atLeast(int minimum, int length) {
            if (length < minimum) {
                throw new IllegalArgumentException("a length not in DER's shortest form");
            }
            return length;
        }
    }
}

package com.tesaiot.publish.tls;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SEC1 structure openssl writes becomes the PKCS#8 the JDK reads; every other structure is left alone. */
class Sec1EcKeyTest {

    /** A fresh key pair on {@code curve} (a JDK name: secp256r1, secp384r1, secp521r1). */
    static KeyPair keyPair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    /** The curve's OID, as an EC PARAMETERS block holds it and the [0] field of SEC1 does. */
    static ASN1ObjectIdentifier curveOf(KeyPair pair) {
        return (ASN1ObjectIdentifier) PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded())
                .getPrivateKeyAlgorithm().getParameters();
    }

    /** The SEC1 encoding of the pair as openssl writes it: the private value, the curve and the public key. */
    static byte[] sec1(KeyPair pair) throws IOException {
        return sec1(pair, curveOf(pair), publicKey(pair));
    }

    /** The SEC1 encoding of the pair's private value with the given curve field and public key field (either null). */
    static byte[] sec1(KeyPair pair, ASN1Encodable curve, DERBitString publicKey) throws IOException {
        BigInteger order = ((ECPrivateKey) pair.getPrivate()).getParams().getOrder();
        return new org.bouncycastle.asn1.sec.ECPrivateKey(order.bitLength(), ((ECPrivateKey) pair.getPrivate()).getS(),
                publicKey, curve).getEncoded("DER");
    }

    static DERBitString publicKey(KeyPair pair) {
        return new DERBitString(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData()
                .getOctets());
    }

    private static byte[] der(ASN1Encodable value) throws IOException {
        return value.toASN1Primitive().getEncoded("DER");
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void wrapsAKeyWithoutItsCurveFieldExactlyAsTheJdkEncodesIt(String curve) throws Exception {
        KeyPair pair = keyPair(curve);
        // The JDK's PKCS#8 holds a SEC1 structure with neither the curve field nor the public key.
        byte[] jdkSec1 = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded()).getPrivateKey().getOctets();

        byte[] pkcs8 = Sec1EcKey.pkcs8(jdkSec1, Optional.of(der(curveOf(pair)))).orElseThrow();

        assertArrayEquals(pair.getPrivate().getEncoded(), pkcs8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void wrapsAKeyAsOpensslWritesItIntoOneTheJdkReads(String curve) throws Exception {
        KeyPair pair = keyPair(curve);

        byte[] pkcs8 = Sec1EcKey.pkcs8(sec1(pair), Optional.empty()).orElseThrow();

        ECPrivateKey read = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        assertEquals(((ECPrivateKey) pair.getPrivate()).getS(), read.getS());
        assertEquals(((ECPrivateKey) pair.getPrivate()).getParams().toString(), read.getParams().toString());
        assertArrayEquals(sec1(pair), PrivateKeyInfo.getInstance(pkcs8).getPrivateKey().getOctets(),
                "the SEC1 structure is wrapped unchanged");
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void readsThePublicPointOpensslWritesBesideThePrivateValueAlsoInsidePkcs8(String curve) throws Exception {
        KeyPair pair = keyPair(curve);
        ECPoint point = ((ECPublicKey) pair.getPublic()).getW();

        assertEquals(Optional.of(point), Sec1EcKey.publicPoint(sec1(pair)));
        assertEquals(Optional.of(point), Sec1EcKey.publicPointInPkcs8(Sec1EcKey.pkcs8(sec1(pair), Optional.empty())
                .orElseThrow()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp521r1"})
    void findsNoPointWhereTheKeyHasNoneOrACompressedOne(String curve) throws Exception {
        KeyPair pair = keyPair(curve);
        byte[] uncompressed = publicKey(pair).getOctets();
        int size = (uncompressed.length - 1) / 2;
        byte[] compressed = Arrays.copyOf(uncompressed, 1 + size);
        compressed[0] = (byte) (uncompressed[uncompressed.length - 1] % 2 == 0 ? 2 : 3);

        assertEquals(Optional.empty(), Sec1EcKey.publicPoint(sec1(pair, curveOf(pair), null)));
        assertEquals(Optional.empty(), Sec1EcKey.publicPoint(sec1(pair, curveOf(pair), new DERBitString(compressed))));
        assertEquals(Optional.empty(), Sec1EcKey.publicPointInPkcs8(pair.getPrivate().getEncoded()),
                "the JDK's own PKCS#8 holds no public key");
        assertEquals(Optional.empty(), Sec1EcKey.publicPointInPkcs8(keyPair("secp256r1").getPublic().getEncoded()),
                "a public key's encoding is no private key");
    }

    /** SEC1 structures that are not a named P-256, P-384 or P-521 key in DER: name, SEC1 DER, EC PARAMETERS DER. */
    static Stream<Arguments> unusualKeys() throws Exception {
        KeyPair p256 = keyPair("secp256r1");
        byte[] sec1 = sec1(p256);
        byte[] curve = der(curveOf(p256));
        X9ECParameters explicit = ECNamedCurveTable.getByName("prime256v1");
        byte[] shortLength = sec1.clone();
        shortLength[1] = (byte) (shortLength[1] - 1);
        byte[] longForm = join(new byte[] {0x30, (byte) 0x81}, Arrays.copyOfRange(sec1, 1, sec1.length));
        byte[] indefinite = join(new byte[] {0x30, (byte) 0x80}, Arrays.copyOfRange(sec1, 2, sec1.length), new byte[2]);
        byte[] version0 = sec1.clone();
        version0[4] = 0;
        byte[] thirtyOneBytes = new byte[31];
        Arrays.fill(thirtyOneBytes, (byte) 7);
        return Stream.of(
                Arguments.of("explicit curve parameters", sec1(p256, explicit, publicKey(p256)), null),
                Arguments.of("no curve at all", sec1(p256, null, publicKey(p256)), null),
                Arguments.of("a curve other than P-256, P-384 and P-521",
                        sec1(keyPair("secp256r1"), SECObjectIdentifiers.secp256k1, null), null),
                Arguments.of("a byte after the key", join(sec1, new byte[1]), null),
                Arguments.of("a length beyond the input", Arrays.copyOf(sec1, sec1.length - 1), null),
                Arguments.of("a length short of the content", shortLength, null),
                Arguments.of("a length not in its shortest form", longForm, null),
                Arguments.of("the indefinite length form (BER, not DER)", indefinite, null),
                Arguments.of("version 0", version0, null),
                Arguments.of("a private value shorter than the curve's", der(new DERSequence(new ASN1Encodable[] {
                        new ASN1Integer(1), new DEROctetString(thirtyOneBytes),
                        new DERTaggedObject(true, 0, curveOf(p256))})), null),
                Arguments.of("a public key field that is not a BIT STRING", der(new DERSequence(new ASN1Encodable[] {
                        new ASN1Integer(1), new DEROctetString(new byte[32]),
                        new DERTaggedObject(true, 0, curveOf(p256)),
                        new DERTaggedObject(true, 1, new DEROctetString(publicKey(p256).getOctets()))})), null),
                Arguments.of("a curve field and an EC PARAMETERS block that disagree", sec1,
                        der(SECObjectIdentifiers.secp384r1)),
                Arguments.of("an EC PARAMETERS block that is not an OID", sec1(p256, null, null), der(explicit)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusualKeys")
    void leavesAnyOtherStructureToBouncyCastle(String name, byte[] sec1, byte[] parameters) {
        assertEquals(Optional.empty(), Sec1EcKey.pkcs8(sec1, Optional.ofNullable(parameters)));
    }
}

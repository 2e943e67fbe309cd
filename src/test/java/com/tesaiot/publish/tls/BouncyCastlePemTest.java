package com.tesaiot.publish.tls;

import com.tesaiot.publish.bundle.FileOrigin;
import com.tesaiot.publish.bundle.PemFile;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** BouncyCastle's reading of a SEC1 key takes its private key, whatever the public key beside it. */
class BouncyCastlePemTest {

    /** A P-256 SEC1 key file with the curve field and the given public key field (null: none). */
    private static PemFile sec1File(KeyPair pair, DERBitString publicKeyOrNull) throws Exception {
        ASN1ObjectIdentifier curve = (ASN1ObjectIdentifier) PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded())
                .getPrivateKeyAlgorithm().getParameters();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) pair.getPrivate()).getS(),
                publicKeyOrNull, curve).getEncoded("DER");
        StringWriter text = new StringWriter();
        try (PemWriter pem = new PemWriter(text)) {
            pem.writeObject(new PemObject("EC PRIVATE KEY", sec1));
        }
        return new PemFile(new FileOrigin.OnDisk(Path.of("client_key.pem")), text.toString());
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void readsASec1KeyWithoutItsPublicKey() throws Exception {
        KeyPair pair = p256();

        ECPrivateKey read = (ECPrivateKey) BouncyCastlePem.privateKey(sec1File(pair, null), Optional.empty());

        assertEquals(((ECPrivateKey) pair.getPrivate()).getS(), read.getS());
    }

    @Test
    void readsASec1KeyWhosePublicKeyIsACompressedPoint() throws Exception {
        KeyPair pair = p256();
        byte[] uncompressed = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData()
                .getOctets();
        byte[] compressed = Arrays.copyOf(uncompressed, 33); // 04, x, y -> 02 or 03 (the parity of y), x
        compressed[0] = (byte) (2 + (uncompressed[64] & 1));

        ECPrivateKey read = (ECPrivateKey) BouncyCastlePem.privateKey(sec1File(pair, new DERBitString(compressed)),
                Optional.empty());

        assertEquals(((ECPrivateKey) pair.getPrivate()).getS(), read.getS());
    }
}

package com.tesaiot.publish.devpki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/** The key pairs the development PKI can make: what devices (EC P-256) and platforms (RSA 2048) use. */
public enum KeyType {
    /** NIST P-256, what devices generate with {@code openssl ecparam -genkey}. */
    EC("EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA"),
    /** NIST P-384, for readers that must accept more than one curve. */
    EC_P384("EC", new ECGenParameterSpec("secp384r1"), "SHA384withECDSA"),
    /** RSA 2048 bits. */
    RSA("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), "SHA256withRSA");

    private final String algorithm;
    private final AlgorithmParameterSpec parameters;
    private final String signatureAlgorithm;

    KeyType(String algorithm, AlgorithmParameterSpec parameters, String signatureAlgorithm) {
        this.algorithm = algorithm;
        this.parameters = parameters;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** A fresh key pair of this type. */
    public KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(parameters);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            // Every Java 17 runtime has EC and RSA: reaching this is a broken JDK, not a user error.
            throw new IllegalStateException("cannot generate a " + this + " key pair", e);
        }
    }

    /** The JCA name of the signature a CA of this key type signs certificates with. */
    String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    boolean isEc() {
        return algorithm.equals("EC");
    }
}

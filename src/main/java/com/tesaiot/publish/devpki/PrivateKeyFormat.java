package com.tesaiot.publish.devpki;

/** How a private key is written to PEM: every form a platform, a device or openssl emits. */
public enum PrivateKeyFormat {
    /** {@code BEGIN PRIVATE KEY}: unencrypted PKCS#8, openssl 3's default for every key type. */
    PKCS8,
    /** {@code BEGIN RSA PRIVATE KEY}: PKCS#1, the "traditional" RSA form. RSA keys only. */
    PKCS1_RSA,
    /** {@code BEGIN EC PRIVATE KEY}: SEC1 with curve and public key, like {@code openssl ecparam -genkey -noout}. EC keys only. */
    SEC1_EC,
    /** An {@code EC PARAMETERS} block, then the SEC1 key: what {@code openssl ecparam -genkey} (without -noout) writes. */
    SEC1_EC_WITH_PARAMETERS,
    /** {@code BEGIN ENCRYPTED PRIVATE KEY}: PKCS#8 under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), as openssl 3 writes it. */
    ENCRYPTED_PKCS8
}

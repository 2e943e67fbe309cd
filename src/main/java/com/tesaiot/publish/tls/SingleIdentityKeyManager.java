package com.tesaiot.publish.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Presents the device's one certificate to every server that asks, as mosquitto_pub does. The JDK's key
 * managers instead offer a certificate only when its issuer is among the CAs the server names, so a broker
 * configured with another CA list would get no certificate at all, and a far vaguer error. Also spares the
 * encrypt-then-decrypt round trip through an in-memory PKCS#12 store.
 */
final class SingleIdentityKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "device";
    private final PrivateKey key;
    private final X509Certificate[] chain;
    /** How many times a server asked for our certificate (JSSE asks for the alias when it answers a request). */
    private final AtomicLong asked = new AtomicLong();

    SingleIdentityKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain.clone();
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        asked.incrementAndGet();
        return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        asked.incrementAndGet();
        return ALIAS;
    }

    /** How many times a server has asked for our certificate so far. */
    long timesAsked() {
        return asked.get();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return key;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    // A client never acts as a server.
    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}

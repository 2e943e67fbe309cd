package com.tesaiot.publish.testing.pki;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.Pkcs12Stores;

/** In-memory JSSE set-up for test clients (subscribers, plain Paho probes): not the code under test. */
public final class ClientTls {

    private static final char[] PASSWORD = "in-memory".toCharArray();

    private ClientTls() {
    }

    /**
     * A socket factory that trusts {@code trusted} and presents {@code clientOrNull} followed by {@code clientChain}
     * (null: no client certificate). {@code protocol} is an {@link SSLContext} name: "TLS", "TLSv1.2", "TLSv1.3".
     */
    public static SSLSocketFactory socketFactory(IssuedCertificate clientOrNull, List<X509Certificate> clientChain,
            List<X509Certificate> trusted, String protocol) {
        try {
            KeyManager[] keyManagers = null;
            if (clientOrNull != null) {
                KeyStore keyStore = Pkcs12Stores.keyStore(clientOrNull, clientChain, PASSWORD);
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore, PASSWORD);
                keyManagers = keys.getKeyManagers();
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(Pkcs12Stores.trustStore(trusted));
            SSLContext context = SSLContext.getInstance(protocol);
            context.init(keyManagers, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up the test client's TLS", e);
        }
    }
}

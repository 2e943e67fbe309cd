package com.tesaiot.publish.devpki;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** PKCS#12 key and trust stores, in memory or as files: what Java servers such as HiveMQ are configured with. */
public final class Pkcs12Stores {

    /** The alias of the one key entry in a key store made here. */
    public static final String KEY_ALIAS = "key";

    private Pkcs12Stores() {
    }

    /**
     * A key store with one entry: {@code leaf}'s key and the chain leaf, {@code chain...} (the certificates that
     * come after the leaf, e.g. the intermediate; the root may be left out). The key is protected by {@code password}.
     */
    public static KeyStore keyStore(IssuedCertificate leaf, List<X509Certificate> chain, char[] password) {
        List<Certificate> fullChain = new ArrayList<>();
        fullChain.add(leaf.certificate());
        fullChain.addAll(chain);
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry(KEY_ALIAS, leaf.privateKey(), password, fullChain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot put the key and its chain into a PKCS#12 store", e);
        }
    }

    /** A trust store holding each of {@code trusted} as a trusted certificate entry. */
    public static KeyStore trustStore(List<X509Certificate> trusted) {
        try {
            KeyStore store = emptyStore();
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("ca-" + i, trusted.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot put the certificates into a PKCS#12 store", e);
        }
    }

    /** Writes {@link #keyStore} to {@code file}; the store and its key share {@code password}. */
    public static void writeKeyStore(Path file, IssuedCertificate leaf, List<X509Certificate> chain, char[] password)
            throws IOException {
        write(file, keyStore(leaf, chain, password), password);
    }

    /** Writes {@link #trustStore} to {@code file} under {@code password}. */
    public static void writeTrustStore(Path file, List<X509Certificate> trusted, char[] password) throws IOException {
        write(file, trustStore(trusted), password);
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create an empty PKCS#12 store", e); // no stream: cannot happen
        }
        return store;
    }

    private static void write(Path file, KeyStore store, char[] password) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the PKCS#12 store " + file, e);
        }
    }
}

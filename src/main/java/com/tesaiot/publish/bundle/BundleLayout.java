package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The layouts a credential bundle comes in, and which one a bundle's file names are: the one description of the
 * bundle's file names, used by the reader, the writers and {@code bundle import}.
 */
public enum BundleLayout {
    /** The original script's certs_credentials/: device_id.txt, client_cert.pem, client_key.pem, ca-chain.pem, endpoints.json. */
    ORIGINAL("the original certs_credentials layout", true),
    /** The platform's MQTT download: {id}.pem, {id}.key (none for a CSR-enrolled device), ca-chain.pem, mqtt-broker.pem. */
    MQTT_DOWNLOAD("the platform's MQTT mTLS download", true),
    /** The platform's HTTPS download: {id}-certificate.pem, {id}-ca-chain.pem; its endpoints.json holds API URLs only. */
    HTTPS_DOWNLOAD("the platform's HTTPS mTLS download", false);

    public static final String DEVICE_ID = "device_id.txt";
    public static final String CLIENT_CERT = "client_cert.pem";
    public static final String CLIENT_KEY = "client_key.pem";
    public static final String CA_CHAIN = "ca-chain.pem";
    public static final String ENDPOINTS = "endpoints.json";
    public static final String API_KEY = "api_key.txt";
    /** The broker's own certificate, as the platform's MQTT download holds it. */
    public static final String BROKER_CERT = "mqtt-broker.pem";

    /** The files of the original layout, in the order a listing shows them. */
    public static final List<String> ORIGINAL_FILES = List.of(DEVICE_ID, CLIENT_CERT, CLIENT_KEY, CA_CHAIN, ENDPOINTS, API_KEY);

    private static final String HTTPS_CERT_SUFFIX = "-certificate.pem";
    private static final String HTTPS_CA_SUFFIX = "-ca-chain.pem";

    private final String description;
    private final boolean namesBroker;

    BundleLayout(String description, boolean namesBroker) {
        this.description = description;
        this.namesBroker = namesBroker;
    }

    /** For messages: "the platform's MQTT mTLS download". */
    public String description() {
        return description;
    }

    /** Whether this layout's endpoints.json names the MQTT broker (the HTTPS download's names API URLs only). */
    public boolean namesBroker() {
        return namesBroker;
    }

    /**
     * Which file plays which part in one bundle, by name relative to the bundle's top. device_id.txt, api_key.txt,
     * endpoints.json and mqtt-broker.pem have the same names in every layout and are read when present.
     *
     * @param idInFileName the device id the certificate's file name carries ({id}.pem), if it carries one
     */
    public record Files(BundleLayout layout, Optional<String> idInFileName, String certificate, String key,
            String caChain) {
    }

    /** The original layout's file names. */
    public static Files original() {
        return new Files(ORIGINAL, Optional.empty(), CLIENT_CERT, CLIENT_KEY, CA_CHAIN);
    }

    /**
     * The layout of a bundle holding {@code names} (the files at its top), or empty when no file looks like a
     * device certificate. {@code where} names the bundle when it holds more than one device.
     */
    public static Optional<Files> detect(String where, Collection<String> names) throws Failure {
        Set<String> present = Set.copyOf(names);
        if (present.contains(CLIENT_CERT) || present.contains(CLIENT_KEY)) {
            return Optional.of(original());
        }
        List<String> https = names.stream().filter(n -> n.endsWith(HTTPS_CERT_SUFFIX)).sorted().toList();
        if (!https.isEmpty()) {
            String id = single(where, https).replaceFirst(HTTPS_CERT_SUFFIX + "$", "");
            String ca = present.contains(id + HTTPS_CA_SUFFIX) ? id + HTTPS_CA_SUFFIX : CA_CHAIN;
            String key = present.contains(id + "-private-key.pem") ? id + "-private-key.pem" : id + ".key";
            return Optional.of(new Files(HTTPS_DOWNLOAD, Optional.of(id), https.get(0), key, ca));
        }
        List<String> certificates = names.stream()
                .filter(n -> n.endsWith(".pem") && !n.equals(CA_CHAIN) && !n.equals(BROKER_CERT) && !n.endsWith(HTTPS_CA_SUFFIX))
                .sorted().toList();
        if (!certificates.isEmpty()) {
            String id = single(where, certificates).replaceFirst("\\.pem$", "");
            return Optional.of(new Files(MQTT_DOWNLOAD, Optional.of(id), id + ".pem", id + ".key", CA_CHAIN));
        }
        // An original bundle missing its certificate: the reader then names the missing file.
        return present.contains(DEVICE_ID) ? Optional.of(original()) : Optional.empty();
    }

    /** What a bundle of each layout holds, for a message about a folder that is none of them. */
    public static String expected() {
        return "client_cert.pem with device_id.txt (the original layout), {id}.pem (the platform's MQTT download)"
                + " or {id}-certificate.pem (its HTTPS download)";
    }

    private static String single(String where, List<String> certificates) throws Failure {
        if (certificates.size() > 1) {
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CLIENT_CERT, where + " holds the certificates of more"
                    + " than one device (" + String.join(", ", certificates) + "): give the bundle of one device, or one"
                    + " device's certificate and key");
        }
        return certificates.get(0);
    }
}

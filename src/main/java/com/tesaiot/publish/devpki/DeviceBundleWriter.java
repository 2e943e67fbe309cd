package com.tesaiot.publish.devpki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.bundle.BundleLayout;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes a device bundle in the original layout ({@link BundleLayout#ORIGINAL}): {@code device_id.txt}, {@code client_cert.pem},
 * {@code client_key.pem} (owner-only), {@code ca-chain.pem}, {@code endpoints.json} and, when there is an API key,
 * {@code api_key.txt}.
 */
public final class DeviceBundleWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DeviceBundleWriter() {
    }

    /** Writes {@code bundle} into {@code dir}, creating the directory if needed and replacing files already there. */
    public static void write(Path dir, DeviceBundle bundle) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(BundleLayout.DEVICE_ID), bundle.deviceId() + "\n", StandardCharsets.UTF_8);

        // client_cert.pem holds the leaf followed by its intermediate(s), as platforms commonly hand it out, so a
        // broker that trusts only the root can still build the path. The self-signed root stays in ca-chain.pem.
        List<X509Certificate> clientChain = new ArrayList<>();
        clientChain.add(bundle.client().certificate());
        bundle.caChain().stream().filter(cert -> !isSelfSigned(cert)).forEach(clientChain::add);
        PemFiles.writeCertificates(dir.resolve(BundleLayout.CLIENT_CERT), clientChain);

        PemFiles.writePrivateKey(dir.resolve(BundleLayout.CLIENT_KEY), bundle.client().privateKey(), bundle.keyFormat(),
                bundle.keyPassword());
        PemFiles.writeCertificates(dir.resolve(BundleLayout.CA_CHAIN), bundle.caChain());

        Map<String, Object> endpoints = new LinkedHashMap<>();
        endpoints.put("mqtt_host", bundle.mqttHost());
        endpoints.put("mqtt_mtls_port", bundle.mqttPort());
        JSON.writeValue(dir.resolve(BundleLayout.ENDPOINTS).toFile(), endpoints);

        Path apiKey = dir.resolve(BundleLayout.API_KEY);
        if (bundle.apiKey() != null) {
            Files.writeString(apiKey, bundle.apiKey() + "\n", StandardCharsets.UTF_8);
        } else {
            Files.deleteIfExists(apiKey);
        }
    }

    private static boolean isSelfSigned(X509Certificate cert) {
        return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
    }
}

package com.tesaiot.publish.devpki;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tesaiot.publish.bundle.BundleLayout;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The files of one device's bundle in a layout users meet, by their names inside the bundle, written as a folder or
 * as a zip: the original {@code certs_credentials/}, or the platform's MQTT mTLS download.
 *
 * @param keyFile the name of the private key's file, written readable by its owner only
 */
public record DeviceBundleFiles(BundleLayout layout, String deviceId, Map<String, String> files, String keyFile) {
    /** The platform's download names its zip so; the time as its web console writes it (UTC, no colons). */
    private static final DateTimeFormatter DOWNLOAD_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DeviceBundleFiles {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** device_id.txt, client_cert.pem, client_key.pem, ca-chain.pem, endpoints.json, and api_key.txt if it has one. */
    public static DeviceBundleFiles original(DeviceBundle bundle) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(BundleLayout.DEVICE_ID, bundle.deviceId() + "\n");
        files.put(BundleLayout.CLIENT_CERT, clientChain(bundle));
        files.put(BundleLayout.CLIENT_KEY, key(bundle));
        files.put(BundleLayout.CA_CHAIN, PemFiles.certificatesPem(bundle.caChain()));
        ObjectNode endpoints = JSON.createObjectNode();
        endpoints.put("mqtt_host", bundle.mqttHost());
        endpoints.put("mqtt_mtls_port", bundle.mqttPort());
        files.put(BundleLayout.ENDPOINTS, json(endpoints));
        if (bundle.apiKey() != null) {
            files.put(BundleLayout.API_KEY, bundle.apiKey() + "\n");
        }
        return new DeviceBundleFiles(BundleLayout.ORIGINAL, bundle.deviceId(), files, BundleLayout.CLIENT_KEY);
    }

    /**
     * As the platform's "Download mTLS bundle" lays it out: {@code {id}.pem}, {@code {id}.key}, {@code ca-chain.pem},
     * {@code mqtt-broker.pem} (when the broker's certificate is known), a nested {@code endpoints.json},
     * {@code mqtt_client_config.h} and {@code README.txt}. Its {@code telemetry/} folder of generated C code is left
     * out (no reader of a bundle uses it), and endpoints.json names only the mTLS listener, the one that exists here.
     */
    public static DeviceBundleFiles platformDownload(DeviceBundle bundle, Optional<X509Certificate> brokerCertificate) {
        String id = bundle.deviceId();
        Map<String, String> files = new LinkedHashMap<>();
        files.put(id + ".pem", clientChain(bundle));
        files.put(id + ".key", key(bundle));
        files.put(BundleLayout.CA_CHAIN, PemFiles.certificatesPem(bundle.caChain()));
        brokerCertificate.ifPresent(c -> files.put(BundleLayout.BROKER_CERT, PemFiles.certificatesPem(List.of(c))));
        ObjectNode endpoints = JSON.createObjectNode();
        ObjectNode mtls = endpoints.putObject("mqtt").putObject("mtls");
        mtls.put("host", bundle.mqttHost());
        mtls.put("port", bundle.mqttPort());
        mtls.put("protocol", "mqtts");
        mtls.put("client_cert_required", true);
        endpoints.putObject("tls").put("require_mtls", true);
        files.put(BundleLayout.ENDPOINTS, json(endpoints));
        files.put("mqtt_client_config.h", """
                /* A development bundle made by tesaiot-publish bundle create: no platform trusts its CA. */
                #define MQTT_BROKER_HOST "%s"
                #define MQTT_BROKER_PORT %d
                #define MQTT_CLIENT_ID "%s"
                #define MQTT_TOPIC_TELEMETRY "device/%s/telemetry"
                """.formatted(bundle.mqttHost(), bundle.mqttPort(), id, id));
        files.put("README.txt", """
                Development mTLS bundle for device %1$s, laid out as the TESAIoT platform's MQTT download.
                Made by tesaiot-publish bundle create, for a local broker: no platform trusts its CA.

                %1$s.pem         device certificate (CN=%1$s) and the intermediate CA
                %1$s.key         its private key
                ca-chain.pem     the CAs the broker's certificate chains to
                mqtt-broker.pem  the broker's certificate
                endpoints.json   the broker: mqtt.mtls.host %2$s, mqtt.mtls.port %3$d

                Publish with: tesaiot-publish --certs-dir <this zip, or its unpacked folder> --once
                """.formatted(id, bundle.mqttHost(), bundle.mqttPort()));
        return new DeviceBundleFiles(BundleLayout.MQTT_DOWNLOAD, id, files, id + ".key");
    }

    /** The zip's name: {@code {id}-mqtts-mtls-bundle-{time}.zip} as the platform names its download, else {@code {id}.zip}. */
    public String zipName(Instant madeAt) {
        return layout == BundleLayout.MQTT_DOWNLOAD
                ? deviceId + "-mqtts-mtls-bundle-" + DOWNLOAD_TIME.format(madeAt) + ".zip"
                : deviceId + ".zip";
    }

    /** Writes the files into {@code dir} (created if needed), replacing files of the same names; returns it. */
    public Path writeFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.deleteIfExists(target);
            if (file.getKey().equals(keyFile)) {
                ownerOnly(target);
            }
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
        }
        return dir;
    }

    /** Writes the files as the entries of {@code zip}, a new file readable by its owner only (the key is in it). */
    public Path writeZip(Path zip) throws IOException {
        Files.createDirectories(zip.toAbsolutePath().getParent());
        ownerOnly(zip);
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream entries = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                entries.putNextEntry(new ZipEntry(file.getKey()));
                entries.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                entries.closeEntry();
            }
        }
        return zip;
    }

    /** Created empty and owner-only before anything is written to it, so no one else can read it even for a moment. */
    private static void ownerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
    }

    /**
     * The device certificate followed by its intermediate(s), as platforms commonly hand it out, so a broker that
     * trusts only the root can still build the path. The self-signed root stays in ca-chain.pem.
     */
    private static String clientChain(DeviceBundle bundle) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(bundle.client().certificate());
        bundle.caChain().stream().filter(cert -> !cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal()))
                .forEach(chain::add);
        return PemFiles.certificatesPem(chain);
    }

    private static String key(DeviceBundle bundle) {
        return PemFiles.privateKeyPem(bundle.client().privateKey(), bundle.keyFormat(), bundle.keyPassword());
    }

    private static String json(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a tree of strings and numbers always serialises
        }
    }
}

package com.tesaiot.publish.testing.bundles;

import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.PemFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A device's bundle laid out as users really get it, made at test time: the platform's MQTT or HTTPS download
 * (with its generated C code, header and README beside the credentials), the developer hub's synced folder, or
 * the original layout; written as a folder or as a zip, optionally wrapped in one top-level folder.
 *
 * <pre>{@code
 * Path zip = PlatformDownload.of(broker.bundleFor("dev-1", KeyType.EC), broker.serverCertificate())
 *         .layout(PlatformDownload.Layout.MQTT_DOWNLOAD).writeZip(dir.resolve("dev-1-mqtts-mtls-bundle-1.zip"), "");
 * }</pre>
 */
public final class PlatformDownload {

    /** The layouts bundles come in. */
    public enum Layout {
        /** The original script's certs_credentials/. */
        ORIGINAL,
        /** "Download mTLS bundle": {id}.pem, {id}.key, ca-chain.pem, mqtt-broker.pem, nested endpoints.json. */
        MQTT_DOWNLOAD,
        /** The HTTPS variant: {id}-certificate.pem, {id}-ca-chain.pem, {id}.key, endpoints.json of API URLs. */
        HTTPS_DOWNLOAD,
        /** What the hub's sync_credentials.sh leaves: the original's names, the download's nested endpoints.json. */
        HUB_SYNCED
    }

    private final DeviceBundle bundle;
    private final X509Certificate brokerCertificate;
    private final Layout layout;
    private final boolean withKey;

    private PlatformDownload(DeviceBundle bundle, X509Certificate brokerCertificate, Layout layout, boolean withKey) {
        this.bundle = bundle;
        this.brokerCertificate = brokerCertificate;
        this.layout = layout;
        this.withKey = withKey;
    }

    /** The MQTT download of {@code bundle}, key included; {@code brokerCertificate} becomes mqtt-broker.pem. */
    public static PlatformDownload of(DeviceBundle bundle, X509Certificate brokerCertificate) {
        return new PlatformDownload(bundle, brokerCertificate, Layout.MQTT_DOWNLOAD, true);
    }

    public PlatformDownload layout(Layout layout) {
        return new PlatformDownload(bundle, brokerCertificate, layout, withKey);
    }

    /** As the download of a device enrolled with a CSR: no private key in it. */
    public PlatformDownload withoutKey() {
        return new PlatformDownload(bundle, brokerCertificate, layout, false);
    }

    /** The device's private key as the device keeps it, for {@code --client-key}. */
    public Path writeKey(Path file) throws IOException {
        Files.writeString(file, original().get("client_key.pem"));
        return file;
    }

    /** Every file, by its path inside the bundle. */
    public Map<String, String> files() throws IOException {
        Map<String, String> original = original();
        String id = bundle.deviceId();
        Map<String, String> files = new LinkedHashMap<>();
        switch (layout) {
            case ORIGINAL -> files.putAll(original);
            case HUB_SYNCED -> {
                files.putAll(original);
                files.put("endpoints.json", nestedEndpoints());
            }
            case MQTT_DOWNLOAD -> {
                files.put(id + ".pem", original.get("client_cert.pem"));
                if (withKey) {
                    files.put(id + ".key", original.get("client_key.pem"));
                }
                files.put("ca-chain.pem", original.get("ca-chain.pem"));
                files.put("mqtt-broker.pem", PemFiles.certificatesPem(List.of(brokerCertificate)));
                files.put("endpoints.json", nestedEndpoints());
                files.put("mqtt_client_config.h", "#define MQTT_CLIENT_ID \"" + id + "\"\n#define MQTT_BROKER_PORT 8883\n");
                files.put("telemetry/data_telemetry.h", "int data_telemetry_build(char *buf, int len);\n");
                files.put("telemetry/data_telemetry.c", "#include \"data_telemetry.h\"\n");
                // As the platform's own README does: another port, another topic. Tolerated, not trusted.
                files.put("README.txt", "Connect with mTLS (Port 8884) and publish to devices/" + id + "/telemetry\n");
            }
            case HTTPS_DOWNLOAD -> {
                files.put(id + "-certificate.pem", original.get("client_cert.pem"));
                if (withKey) {
                    files.put(id + ".key", original.get("client_key.pem"));
                }
                files.put(id + "-ca-chain.pem", original.get("ca-chain.pem"));
                files.put("endpoints.json", "{\"api_base_url\": \"https://api.example\", \"ingest_base_url\":"
                        + " \"https://ingest.example\"}\n");
                files.put("README.txt", "POST telemetry to https://ingest.example with this certificate\n");
                files.put("PRIVATE_KEY_README.txt", "Keep the private key secret\n");
            }
        }
        return files;
    }

    /** Writes the files into {@code dir} and returns it. */
    public Path writeFolder(Path dir) throws IOException {
        for (Map.Entry<String, String> file : files().entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue());
        }
        return dir;
    }

    /** Writes the files into the zip {@code zip}, inside folder {@code wrapper} ("" for none), and returns it. */
    public Path writeZip(Path zip, String wrapper) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            if (!wrapper.isEmpty()) {
                out.putNextEntry(new ZipEntry(wrapper + "/"));
            }
            for (Map.Entry<String, String> file : files().entrySet()) {
                out.putNextEntry(new ZipEntry((wrapper.isEmpty() ? "" : wrapper + "/") + file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return zip;
    }

    /** A zip of {@code files}, by entry name: for the zips no platform makes. */
    public static Path writeZip(Path zip, Map<String, String> files) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return zip;
    }

    /**
     * A zip whose entry {@code name} inflates to {@code bytes} zeros (deflated, about a thousandth of that on
     * disk), written through a small buffer so the test's memory stays bounded.
     */
    public static Path writeZipBomb(Path zip, String name, long bytes) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.setLevel(9);
            out.putNextEntry(new ZipEntry(name));
            byte[] zeros = new byte[64 * 1024];
            for (long left = bytes; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            out.closeEntry();
            out.putNextEntry(new ZipEntry("ca-chain.pem"));
            out.write("not read".getBytes(StandardCharsets.UTF_8));
        }
        return zip;
    }

    private String nestedEndpoints() {
        String host = bundle.mqttHost();
        int port = bundle.mqttPort();
        return """
                {
                  "mqtt": {
                    "tls": {"host": "%1$s", "port": 8884, "protocol": "mqtts"},
                    "mtls": {"host": "%1$s", "port": %2$d, "protocol": "mqtts", "client_cert_required": true},
                    "websocket": {"host": "%1$s", "port": 8083, "path": "/mqtt"}
                  },
                  "api": {"rest": {"base_url": "https://api.example"}, "telemetry": {"url": "https://api.example/t"}},
                  "validation": {"ocsp": "http://ocsp.example", "crl": "http://crl.example/ca.crl"},
                  "ingest_base_url": "https://ingest.example",
                  "api_base_url": "https://api.example",
                  "tls": {"require_mtls": true, "alpn": ["mqtt"]}
                }
                """.formatted(host, port);
    }

    /** The bundle's files in the original layout, as DeviceBundleWriter writes them. */
    private Map<String, String> original() throws IOException {
        Path dir = Files.createTempDirectory("platform-download-");
        try {
            DeviceBundleWriter.write(dir, bundle);
            Map<String, String> files = new LinkedHashMap<>();
            try (Stream<Path> written = Files.list(dir)) {
                for (Path file : written.sorted().toList()) {
                    files.put(file.getFileName().toString(), Files.readString(file));
                }
            }
            return files;
        } finally {
            try (Stream<Path> written = Files.walk(dir)) {
                written.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}

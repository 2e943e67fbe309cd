package com.tesaiot.publish.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.LocalIo;
import com.tesaiot.publish.bundle.BundleLayout;
import com.tesaiot.publish.bundle.BundleLocation;
import com.tesaiot.publish.bundle.CredentialBundle;
import com.tesaiot.publish.bundle.CredentialBundleReader;
import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.bundle.EndpointsFile;
import com.tesaiot.publish.tls.MutualTlsFactory;
import com.tesaiot.publish.tls.TlsVersion;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code bundle import}: a bundle in any layout (the platform's zip, its unpacked folder, a CSR device's download
 * with the key the device made) written out in the original layout, which this tool and the original script read.
 * Everything is read and checked before a byte is written, the files are written into a folder beside the
 * destination (or inside it, when only it is writable) and only then moved into place, so a failure leaves
 * nothing half-done.
 */
public final class BundleImport {

    /** What an import wrote: the device, where its bundle came from, and each file with what it holds. */
    public record Imported(String deviceId, BundleLayout from, Path out, Map<Path, String> files, List<String> notes) {
    }

    /** Every file an import may write: a bundle's files, in a folder that may hold other things too. */
    public static final List<String> BUNDLE_FILES = Stream.concat(BundleLayout.ORIGINAL_FILES.stream(),
            Stream.of(BundleLayout.BROKER_CERT)).toList();

    private BundleImport() {
    }

    /**
     * Imports {@code source} into {@code out}, with the device's own key when {@code clientKey} is given.
     * {@code replace}: whether bundle files already in {@code out} may be replaced (the front end asked the user);
     * other files there are left alone.
     */
    public static Imported run(Path source, Optional<Path> clientKey, Path out, boolean replace) throws Failure {
        CredentialBundle bundle = CredentialBundleReader.read(BundleLocation.at(source)
                .withClientKeyFile(clientKey.orElse(null)), Optional.empty());
        requireUsable(bundle);
        List<String> notes = new ArrayList<>(bundle.identity().notes());
        Optional<Endpoint> endpoint = bundle.endpoints().isPresent()
                ? Optional.of(EndpointsFile.read(bundle.endpoints().get())) : Optional.empty();
        if (endpoint.isEmpty()) {
            notes.add(source + " names no MQTT broker: no endpoints.json written, so runs use "
                    + Endpoint.DEFAULT_HOST + ":" + Endpoint.DEFAULT_PORT + " unless given another");
        }

        Map<String, String> contents = new LinkedHashMap<>();
        Map<Path, String> described = new LinkedHashMap<>();
        contents.put(BundleLayout.DEVICE_ID, bundle.deviceId() + "\n");
        described.put(out.resolve(BundleLayout.DEVICE_ID), "the device id (from " + bundle.identity().source() + ")");
        contents.put(BundleLayout.CLIENT_CERT, bundle.clientCertificate().text());
        described.put(out.resolve(BundleLayout.CLIENT_CERT), "the device certificate, from " + bundle.clientCertificate());
        contents.put(BundleLayout.CLIENT_KEY, bundle.clientKey().text());
        described.put(out.resolve(BundleLayout.CLIENT_KEY), "its private key, readable by you only, from " + bundle.clientKey());
        contents.put(BundleLayout.CA_CHAIN, bundle.caChain().text());
        described.put(out.resolve(BundleLayout.CA_CHAIN), "the CAs the broker's certificate must chain to, from " + bundle.caChain());
        endpoint.ifPresent(e -> {
            contents.put(BundleLayout.ENDPOINTS, flatEndpoints(e));
            described.put(out.resolve(BundleLayout.ENDPOINTS), e + ", the broker's mutual-TLS listener");
        });
        bundle.apiKey().ifPresent(key -> {
            contents.put(BundleLayout.API_KEY, key.reveal() + "\n");
            described.put(out.resolve(BundleLayout.API_KEY), "the device's API key, readable by you only");
        });
        bundle.brokerCertificate().ifPresent(broker -> {
            contents.put(BundleLayout.BROKER_CERT, broker.text());
            described.put(out.resolve(BundleLayout.BROKER_CERT), "the broker's own certificate, which check compares");
        });
        write(contents, out, replace);
        return new Imported(bundle.deviceId(), bundle.layout(), out, described, List.copyOf(notes));
    }

    /**
     * The certificate, the key and the CA chain must build a TLS context, so a bundle that cannot publish is not
     * imported. An encrypted key is copied as it is: its password is the run's business.
     */
    private static void requireUsable(CredentialBundle bundle) throws Failure {
        try {
            MutualTlsFactory.create(bundle, TlsVersion.TLS_1_2, Optional.empty());
        } catch (Failure f) {
            if (f.input().orElse(null) != Failure.Input.KEY_PASSWORD) {
                throw f;
            }
        }
    }

    /** The original's flat shape, which the original script reads too. */
    private static String flatEndpoints(Endpoint endpoint) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeStringField("mqtt_host", endpoint.host());
            json.writeNumberField("mqtt_mtls_port", endpoint.port());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text + "\n";
    }

    private static void write(Map<String, String> contents, Path out, boolean replace) throws Failure {
        Path target = out.toAbsolutePath().normalize();
        Path staging = null;
        try {
            Files.createDirectories(target.getParent());
            // On the destination's file system, so the moves below are renames; owner-only, as temp folders are.
            staging = Files.createTempDirectory(stagingPlace(target), "." + target.getFileName() + ".import-");
            for (Map.Entry<String, String> file : contents.entrySet()) {
                Path written = Files.writeString(staging.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
                if (isSecret(file.getKey())) {
                    ownerOnly(written, "rw-------");
                }
            }
            if (!Files.exists(out)) {
                ownerOnly(staging, "rwx------");
                Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
                staging = null;
                return;
            }
            // The destination folder may hold the user's other files: only the bundle's own are replaced, and
            // those of the old bundle that the new one lacks (an API key, say) removed, so the two never mix.
            List<String> old = BUNDLE_FILES.stream().filter(name -> Files.exists(out.resolve(name))).toList();
            if (!old.isEmpty() && !replace) {
                throw new Failure(Failure.Kind.LOCAL_IO, out + " came to hold a bundle while importing ("
                        + String.join(", ", old) + "): nothing was written to it");
            }
            for (String name : old) {
                if (!contents.containsKey(name)) {
                    Files.delete(out.resolve(name));
                }
            }
            for (String name : contents.keySet()) {
                move(staging.resolve(name), out.resolve(name));
            }
        } catch (FileSystemException e) {
            throw new Failure(Failure.Kind.LOCAL_IO, "cannot write the bundle to " + out + ": "
                    + (e.getFile() == null ? "" : e.getFile() + ": ") + LocalIo.reason(e), e);
        } catch (IOException e) {
            throw LocalIo.failure("cannot write the bundle to", out, e);
        } finally {
            LocalIo.deleteQuietly(staging);
        }
    }

    /**
     * Where the files are written first: beside the destination, so that a new destination appears whole in one
     * rename; inside an existing destination when its parent is not ours to write (a mounted volume's root, say).
     */
    private static Path stagingPlace(Path target) {
        return !Files.isWritable(target.getParent()) && Files.isDirectory(target) ? target : target.getParent();
    }

    private static boolean isSecret(String name) {
        return name.equals(BundleLayout.CLIENT_KEY) || name.equals(BundleLayout.API_KEY);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** On file systems with POSIX permissions; elsewhere (Windows) the folder's own protection applies. */
    private static void ownerOnly(Path path, String permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }
}

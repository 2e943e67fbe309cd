package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads a credential bundle from disk into a {@link CredentialBundle}, naming the file behind every problem. */
public final class CredentialBundleReader {
    private CredentialBundleReader() {
    }

    /**
     * Reads the bundle's files. The device id comes from the caller when the user gave one, otherwise from
     * device_id.txt.
     */
    public static CredentialBundle read(BundleLocation location, Optional<String> deviceIdGiven) throws Failure {
        // Every file can be pointed elsewhere (CA_FILE, CLIENT_CERT, ...): the directory matters only if one is in it.
        boolean usesDirectory = Stream.of(location.clientCertificateFile(), location.clientKeyFile(),
                        location.caChainFile(), deviceIdGiven.isPresent() ? null : location.deviceIdFile())
                .filter(Objects::nonNull)
                .anyMatch(file -> file.startsWith(location.directory()));
        if (usesDirectory) {
            requireDirectory(location);
        }
        String deviceId = deviceIdGiven.isPresent() ? given(deviceIdGiven.get()) : readDeviceId(location.deviceIdFile());
        return new CredentialBundle(
                deviceId,
                pem(location.clientCertificateFile(), Failure.Input.CLIENT_CERT),
                pem(location.clientKeyFile(), Failure.Input.CLIENT_KEY),
                pem(location.caChainFile(), Failure.Input.CA_FILE),
                readApiKey(location.apiKeyFile()));
    }

    /** The device id in device_id.txt: trimmed of white space and Windows line ends, never empty. */
    public static String readDeviceId(Path file) throws Failure {
        String id = BundleFiles.readText(file, Failure.Input.DEVICE_ID).strip();
        if (id.lines().count() > 1) {
            throw new Failure(Failure.Kind.BUNDLE, file + " holds more than one line; it should hold only the device id");
        }
        Optional<String> problem = DeviceIds.problemWith(id);
        if (problem.isPresent()) {
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.DEVICE_ID, file + ": " + problem.get());
        }
        return id;
    }

    private static String given(String id) throws Failure {
        Optional<String> problem = DeviceIds.problemWith(id);
        if (problem.isPresent()) {
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.DEVICE_ID, problem.get());
        }
        return id;
    }

    private static void requireDirectory(BundleLocation location) throws Failure {
        Path dir = location.directory();
        if (!Files.isDirectory(dir)) {
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CERTS_DIR, "credential bundle directory " + dir + " not found");
        }
    }

    private static PemFile pem(Path file, Failure.Input input) throws Failure {
        return new PemFile(file, BundleFiles.readText(file, input));
    }

    private static Optional<Secret> readApiKey(Path file) throws Failure {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(new Secret(BundleFiles.readText(file, null).strip()));
    }
}

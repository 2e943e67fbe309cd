package com.tesaiot.publish.bundle;

import com.tesaiot.publish.ExitStatus;
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
        String deviceId = deviceIdGiven.isPresent() ? deviceIdGiven.get() : readDeviceId(location.deviceIdFile());
        return new CredentialBundle(
                deviceId,
                pem(location.clientCertificateFile(), " (set --client-cert or CLIENT_CERT to use another file)"),
                pem(location.clientKeyFile(), " (set --client-key or CLIENT_KEY to use another file)"),
                pem(location.caChainFile(), " (set --ca-file or CA_FILE to use another file)"),
                readApiKey(location.apiKeyFile()));
    }

    /** The device id in device_id.txt: trimmed of white space and Windows line ends, never empty. */
    public static String readDeviceId(Path file) throws Failure {
        String id = BundleFiles.readText(file, " (give --device-id or DEVICE_ID, or set DEVICE_FILE)").strip();
        if (id.lines().count() > 1) {
            throw new Failure(ExitStatus.BAD_BUNDLE, file + " holds more than one line; it should hold only the device id");
        }
        return id;
    }

    private static void requireDirectory(BundleLocation location) throws Failure {
        Path dir = location.directory();
        if (!Files.isDirectory(dir)) {
            throw new Failure(ExitStatus.BAD_BUNDLE, "credential bundle directory " + dir + " not found"
                    + " (give --certs-dir or CERTS_DIR; it should hold device_id.txt, client_cert.pem, client_key.pem,"
                    + " ca-chain.pem and endpoints.json)");
        }
    }

    private static PemFile pem(Path file, String overrideHint) throws Failure {
        return new PemFile(file, BundleFiles.readText(file, overrideHint));
    }

    private static Optional<Secret> readApiKey(Path file) throws Failure {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(new Secret(BundleFiles.readText(file, "").strip()));
    }
}

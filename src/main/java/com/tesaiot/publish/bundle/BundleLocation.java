package com.tesaiot.publish.bundle;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a credential bundle is (a folder or a .zip, in any {@link BundleLayout}) and which of its files the user
 * pointed elsewhere (the original script's DEVICE_FILE, CLIENT_CERT, CLIENT_KEY and CA_FILE).
 */
public record BundleLocation(Path source, Optional<Path> deviceIdFile, Optional<Path> clientCertificateFile,
        Optional<Path> clientKeyFile, Optional<Path> caChainFile) {

    /** The bundle at {@code source}, every file read from it. */
    public static BundleLocation at(Path source) {
        return new BundleLocation(source, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public BundleLocation withDeviceIdFile(Path file) {
        return file == null ? this : new BundleLocation(source, Optional.of(file), clientCertificateFile, clientKeyFile,
                caChainFile);
    }

    public BundleLocation withClientCertificateFile(Path file) {
        return file == null ? this : new BundleLocation(source, deviceIdFile, Optional.of(file), clientKeyFile,
                caChainFile);
    }

    public BundleLocation withClientKeyFile(Path file) {
        return file == null ? this : new BundleLocation(source, deviceIdFile, clientCertificateFile, Optional.of(file),
                caChainFile);
    }

    public BundleLocation withCaChainFile(Path file) {
        return file == null ? this : new BundleLocation(source, deviceIdFile, clientCertificateFile, clientKeyFile,
                Optional.of(file));
    }

    /** Whether some file must come from the source itself: otherwise a missing source is no problem. */
    boolean needsSource() {
        return clientCertificateFile.isEmpty() || clientKeyFile.isEmpty() || caChainFile.isEmpty();
    }
}

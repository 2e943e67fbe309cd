package com.tesaiot.publish.bundle;

import java.nio.file.Path;

/**
 * Where each file of a credential bundle is: by default inside one directory, but each file can be pointed
 * elsewhere (the original script's CA_FILE, CLIENT_CERT, CLIENT_KEY and DEVICE_FILE).
 */
public record BundleLocation(Path directory, Path deviceIdFile, Path clientCertificateFile, Path clientKeyFile,
        Path caChainFile, Path endpointsFile, Path apiKeyFile) {

    public static BundleLocation inDirectory(Path directory) {
        return new BundleLocation(directory,
                directory.resolve("device_id.txt"),
                directory.resolve("client_cert.pem"),
                directory.resolve("client_key.pem"),
                directory.resolve("ca-chain.pem"),
                directory.resolve("endpoints.json"),
                directory.resolve("api_key.txt"));
    }

    public BundleLocation withDeviceIdFile(Path file) {
        return file == null ? this : new BundleLocation(directory, file, clientCertificateFile, clientKeyFile,
                caChainFile, endpointsFile, apiKeyFile);
    }

    public BundleLocation withClientCertificateFile(Path file) {
        return file == null ? this : new BundleLocation(directory, deviceIdFile, file, clientKeyFile,
                caChainFile, endpointsFile, apiKeyFile);
    }

    public BundleLocation withClientKeyFile(Path file) {
        return file == null ? this : new BundleLocation(directory, deviceIdFile, clientCertificateFile, file,
                caChainFile, endpointsFile, apiKeyFile);
    }

    public BundleLocation withCaChainFile(Path file) {
        return file == null ? this : new BundleLocation(directory, deviceIdFile, clientCertificateFile,
                clientKeyFile, file, endpointsFile, apiKeyFile);
    }
}

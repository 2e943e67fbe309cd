package com.tesaiot.publish.devpki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.tesaiot.publish.bundle.BundleLayout;

/**
 * Writes a device bundle in the original layout ({@link BundleLayout#ORIGINAL}): {@code device_id.txt}, {@code client_cert.pem},
 * {@code client_key.pem} (owner-only), {@code ca-chain.pem}, {@code endpoints.json} and, when there is an API key,
 * {@code api_key.txt}. {@link DeviceBundleFiles} has the platform's layout and zips too.
 */
public final class DeviceBundleWriter {

    private DeviceBundleWriter() {
    }

    /** Writes {@code bundle} into {@code dir}, creating the directory if needed and replacing files already there. */
    public static void write(Path dir, DeviceBundle bundle) throws IOException {
        DeviceBundleFiles.original(bundle).writeFolder(dir);
        if (bundle.apiKey() == null) {
            // A bundle rewritten without an API key must not keep the old one's.
            Files.deleteIfExists(dir.resolve(BundleLayout.API_KEY));
        }
    }
}

package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.DeviceCredentials;
import com.tesaiot.publish.bundle.BundleLocation;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the credential bundle is and how to open it: shared by every command that reads one. */
final class BundleOptions {
    @Option(names = "--certs-dir", paramLabel = "DIR|ZIP",
            description = "Credential bundle: a folder, or the .zip downloaded from the platform (env CERTS_DIR;"
                    + " default certs_credentials here, else ../certs_credentials).")
    Path certsDir;

    @Option(names = {"-i", "--id", "--device-id"}, paramLabel = "ID",
            description = "Device id: client id and topic (env DEVICE_ID; default device_id.txt, else the id in the"
                    + " certificate's file name, else its CN).")
    String deviceId;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "CA chain instead of the bundle's ca-chain.pem (env CA_FILE).")
    Path caFile;

    @Option(names = "--client-cert", paramLabel = "FILE", description = "Client certificate instead of client_cert.pem (env CLIENT_CERT).")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE", description = "Client key instead of client_key.pem (env CLIENT_KEY).")
    Path clientKey;

    @Option(names = "--device-file", paramLabel = "FILE", description = "Device id file instead of device_id.txt (env DEVICE_FILE).")
    Path deviceFile;

    @Option(names = "--key-password", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = SecretOptions.ASK,
            description = "Password of an encrypted client key; prefer env KEY_PASSWORD, or give the flag alone to be asked (or pipe it to standard input).")
    char[] keyPassword;

    BundleLocation location() {
        Path dir = certsDir;
        if (dir == null) {
            // As the original: ./certs_credentials, else the one beside the working directory.
            Path here = Path.of("certs_credentials");
            Path parent = Path.of("..", "certs_credentials");
            dir = !Files.isDirectory(here) && Files.isDirectory(parent) ? parent : here;
        }
        return BundleLocation.at(dir)
                .withDeviceIdFile(deviceFile)
                .withClientCertificateFile(clientCert)
                .withClientKeyFile(clientKey)
                .withCaChainFile(caFile);
    }

    /** What a device run needs of these options. */
    DeviceCredentials credentials() {
        return new DeviceCredentials(location(), givenDeviceId(), givenKeyPassword());
    }

    Optional<String> givenDeviceId() {
        return deviceId == null || deviceId.isBlank() ? Optional.empty() : Optional.of(deviceId.strip());
    }

    Optional<char[]> givenKeyPassword() {
        return Optional.ofNullable(keyPassword).filter(p -> p.length > 0);
    }
}

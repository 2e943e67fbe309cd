package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a credential bundle, a folder or a zip in any {@link BundleLayout}, into a {@link CredentialBundle},
 * naming the file behind every problem.
 */
public final class CredentialBundleReader {
    /** How a device id the user gave is named, beside the files that name one. */
    private static final String GIVEN = "the id given";
    private CredentialBundleReader() {
    }

    /** Reads the bundle's files. The device id the user gave, when present, beats every one the bundle names. */
    public static CredentialBundle read(BundleLocation location, Optional<String> deviceIdGiven) throws Failure {
        try (BundleSource source = openIfUsed(location)) {
            BundleLayout.Files files = layout(source, location);
            PemFile certificate = pem(source, location.clientCertificateFile(), files.certificate(), Failure.Input.CLIENT_CERT);
            PemFile key = key(source, location, files);
            PemFile caChain = pem(source, location.caChainFile(), files.caChain(), Failure.Input.CA_FILE);
            DeviceId deviceId = deviceId(source, location, files, deviceIdGiven, () -> Optional.of(certificate));
            Optional<TextFile> endpoints = Optional.empty();
            if (files.layout().namesBroker() && has(source, BundleLayout.ENDPOINTS)) {
                endpoints = Optional.of(new TextFile(source.origin(BundleLayout.ENDPOINTS),
                        source.read(BundleLayout.ENDPOINTS, null)));
            }
            Optional<PemFile> broker = Optional.empty();
            if (has(source, BundleLayout.BROKER_CERT)) {
                broker = Optional.of(new PemFile(source.origin(BundleLayout.BROKER_CERT),
                        source.read(BundleLayout.BROKER_CERT, null)));
            }
            Optional<Secret> apiKey = Optional.empty();
            if (has(source, BundleLayout.API_KEY)) {
                apiKey = Optional.of(apiKey(source.origin(BundleLayout.API_KEY).toString(),
                        source.read(BundleLayout.API_KEY, null).strip()));
            }
            return new CredentialBundle(deviceId, certificate, key, caChain, apiKey, endpoints, broker, files.layout());
        }
    }

    /**
     * Only the device id, as {@link #read} would choose it, without needing the key: what a dry run prints as
     * the payloads' device.
     */
    public static DeviceId readDeviceId(BundleLocation location, Optional<String> given) throws Failure {
        if (given.isPresent()) {
            return checked(new DeviceId(given.get(), GIVEN, List.of()));
        }
        try (BundleSource source = openIfUsed(location)) {
            BundleLayout.Files files = layout(source, location);
            return deviceId(source, location, files, given, () -> location.clientCertificateFile().isPresent()
                    || has(source, files.certificate())
                    ? Optional.of(pem(source, location.clientCertificateFile(), files.certificate(), Failure.Input.CLIENT_CERT))
                    : Optional.empty());
        }
    }

    /** The source, or null when every file the run needs is pointed elsewhere and it does not exist. */
    private static BundleSource openIfUsed(BundleLocation location) throws Failure {
        if (!location.needsSource() && !Files.exists(location.source())) {
            return null;
        }
        return BundleSource.open(location.source());
    }

    private static BundleLayout.Files layout(BundleSource source, BundleLocation location) throws Failure {
        if (source == null) {
            return BundleLayout.original();
        }
        Optional<BundleLayout.Files> detected;
        try {
            detected = BundleLayout.detect(source.toString(), source.names());
        } catch (Failure twoDevices) {
            // The user chose one device's certificate and key: the rest of the bundle (its CA chain) still serves.
            if (location.clientCertificateFile().isEmpty() || location.clientKeyFile().isEmpty()) {
                throw twoDevices;
            }
            detected = Optional.of(BundleLayout.original());
        }
        if (detected.isEmpty() && location.clientCertificateFile().isEmpty()) {
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CERTS_DIR, source + " holds no device certificate: found "
                    + found(source) + "; a bundle holds " + BundleLayout.expected());
        }
        return detected.orElse(BundleLayout.original());
    }

    private static String found(BundleSource source) {
        List<String> all = new ArrayList<>(source.names());
        source.folders().forEach(folder -> all.add(folder + "/"));
        return all.isEmpty() ? "nothing" : String.join(", ", all);
    }

    private static PemFile key(BundleSource source, BundleLocation location, BundleLayout.Files files) throws Failure {
        if (location.clientKeyFile().isEmpty() && files.layout() != BundleLayout.ORIGINAL
                && !source.names().contains(files.key())) {
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CLIENT_KEY, source + " has no private key ("
                    + files.key() + "): the device was enrolled with a CSR and keeps its own key, which the platform's"
                    + " download never holds; give the key the device made");
        }
        return pem(source, location.clientKeyFile(), files.key(), Failure.Input.CLIENT_KEY);
    }

    private static PemFile pem(BundleSource source, Optional<Path> elsewhere, String name, Failure.Input input)
            throws Failure {
        if (elsewhere.isPresent()) {
            return new PemFile(new FileOrigin.OnDisk(elsewhere.get()), BundleFiles.readText(elsewhere.get(), input));
        }
        return new PemFile(source.origin(name), source.read(name, input));
    }

    /** Given, then the device id file, then the id in the certificate's file name, then the certificate's CN. */
    private static DeviceId deviceId(BundleSource source, BundleLocation location, BundleLayout.Files files,
            Optional<String> given, Certificate certificate) throws Failure {
        List<DeviceId.Claim> claims = new ArrayList<>();
        given.ifPresent(id -> claims.add(new DeviceId.Claim(GIVEN, id)));
        if (location.deviceIdFile().isPresent()) {
            Path file = location.deviceIdFile().get();
            claims.add(new DeviceId.Claim(file.getFileName().toString(),
                    deviceIdText(file.toString(), BundleFiles.readText(file, Failure.Input.DEVICE_ID))));
        } else if (has(source, BundleLayout.DEVICE_ID)) {
            FileOrigin origin = source.origin(BundleLayout.DEVICE_ID);
            claims.add(new DeviceId.Claim(BundleLayout.DEVICE_ID,
                    deviceIdText(origin.toString(), source.read(BundleLayout.DEVICE_ID, Failure.Input.DEVICE_ID))));
        }
        files.idInFileName().ifPresent(id -> claims.add(new DeviceId.Claim("the certificate's file name "
                + files.certificate(), id)));
        if (claims.isEmpty()) {
            // Only when nothing else names the device: a CN that differs from a named id is the run's warning.
            certificate.read().flatMap(CertificateCommonName::of)
                    .ifPresent(cn -> claims.add(new DeviceId.Claim("the certificate's CN", cn)));
        }
        if (claims.isEmpty()) {
            String where = source != null ? source.toString()
                    : location.clientCertificateFile().map(Path::toString).orElse("the bundle");
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.DEVICE_ID, where + " names no device: no "
                    + BundleLayout.DEVICE_ID + ", and no certificate with a CN");
        }
        return checked(DeviceId.choose(claims));
    }

    /**
     * An id that cannot be a client id and stand in a topic is named before any connection: a usage error when the
     * user gave it, the bundle's problem when a file of it named the id.
     */
    private static DeviceId checked(DeviceId id) throws Failure {
        Optional<String> problem = DeviceIds.problemWith(id.value());
        if (problem.isPresent()) {
            throw new Failure(id.source().equals(GIVEN) ? Failure.Kind.USAGE : Failure.Kind.BUNDLE,
                    Failure.Input.DEVICE_ID, id.source() + ": " + problem.get());
        }
        return id;
    }

    /** The client certificate, read only when its CN is needed for the device id: a dry run may not need it. */
    private interface Certificate {
        Optional<PemFile> read() throws Failure;
    }

    /** A device id file's text: trimmed of white space and Windows line ends, one line. */
    private static String deviceIdText(String shown, String text) throws Failure {
        String id = text.strip();
        if (id.lines().count() > 1) {
            throw new Failure(Failure.Kind.BUNDLE, shown + " holds more than one line; it should hold only the device id");
        }
        Optional<String> problem = DeviceIds.problemWith(id);
        if (problem.isPresent()) {
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.DEVICE_ID, shown + ": " + problem.get());
        }
        return id;
    }

    /**
     * The API key: one line of text with no control character, which MQTT clients (Paho among them) refuse to put
     * in a CONNECT and brokers may close the connection for; named by its position, the key itself never shown.
     */
    private static Secret apiKey(String shown, String key) throws Failure {
        for (int i = 0; i < key.length(); ) {
            int c = key.codePointAt(i);
            if (Character.isISOControl(c)) {
                throw new Failure(Failure.Kind.BUNDLE, shown + " holds " + DeviceIds.nameOf(c) + " at position "
                        + (key.codePointCount(0, i) + 1) + ": an API key is one line of printable text; save the key"
                        + " again without it");
            }
            i += Character.charCount(c);
        }
        return new Secret(key);
    }

    /**
     * Whether the bundle holds that file: for the files every layout may have. A folder of that name is refused,
     * not passed over: the user meant a file there (an api_key.txt skipped would log in without the key).
     */
    private static boolean has(BundleSource source, String name) throws Failure {
        if (source != null && source.folders().contains(name)) {
            throw new Failure(Failure.Kind.BUNDLE, source.origin(name) + " is a directory, not a file");
        }
        return source != null && source.names().contains(name);
    }
}

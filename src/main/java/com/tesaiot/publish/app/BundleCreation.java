package com.tesaiot.publish.app;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.LocalIo;
import com.tesaiot.publish.bundle.BundleLayout;
import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.bundle.EndpointsFile;
import com.tesaiot.publish.bundle.FileOrigin;
import com.tesaiot.publish.bundle.PemFile;
import com.tesaiot.publish.bundle.TextFile;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.bundle.BundleLocation;
import com.tesaiot.publish.bundle.CredentialBundleReader;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleFiles;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.LocalBrokerWriter;
import com.tesaiot.publish.devpki.PemFiles;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.tls.PemReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code bundle create}'s work: a development CA, device bundles signed by it, and a local broker's files. One
 * device in a bundle directory; or a fleet directory of many devices, keeping the CA to add more later.
 */
public final class BundleCreation {
    private static final String DEVICE_PREFIX = "device";
    /** A device's folder, or its zip (device-00001.zip, or device-00001-mqtts-mtls-bundle-{time}.zip). */
    private static final Pattern DEVICE_ENTRY = Pattern.compile(Pattern.quote(DEVICE_PREFIX) + "-(\\d+)(\\.zip|-mqtts-mtls-bundle-.+\\.zip)?");

    /**
     * What every bundle created shares: key type, validity, where devices reach the local broker, the address it
     * listens on, and the bundles' layout ({@link BundleLayout#ORIGINAL} or the platform's
     * {@link BundleLayout#MQTT_DOWNLOAD}), each written as a folder or a zip.
     */
    public record Settings(KeyType keyType, int days, List<String> hosts, int port, String listenAddress,
            BundleLayout layout, boolean zip) {
    }

    /** One device's bundle (a folder or a zip) and the names of its files, and the local broker's files beside it. */
    public record Created(String deviceId, Path bundle, List<String> files, LocalBrokerWriter.Written broker) {
    }

    /**
     * A fleet's new devices in {@code devicesFolder} (the folder to hand to fleet --bundles, or to copy to a volume),
     * the CA beside it, and the broker's files when they were written now.
     */
    public record FleetCreated(List<String> deviceIds, Path devicesFolder, Path caFolder,
            Optional<LocalBrokerWriter.Written> broker) {
    }

    private BundleCreation() {
    }

    /**
     * One device's bundle in {@code out} (its files, or a zip of them), in the settings' layout, with the local
     * broker's files in its broker/ folder; the CA is not kept. Refuses to replace a bundle already there unless
     * {@code force}. A write that fails (a full disk) removes what this call wrote, so no half-written bundle blocks
     * the next try.
     */
    public static Created oneDevice(Path out, String deviceId, Settings settings, boolean force) throws Failure {
        DevelopmentPki pki = DevelopmentPki.create(settings.keyType(), Duration.ofDays(settings.days()));
        IssuedCertificate server = pki.issueServer(settings.hosts(), settings.keyType());
        DeviceBundleFiles files = files(deviceId, pki.issueClient(deviceId, settings.keyType()), pki,
                Optional.of(server.certificate()), settings);
        String bundleEntry = settings.zip() ? files.zipName(Instant.now()) : null;
        List<String> entries = bundleEntries(files, bundleEntry);
        List<String> existedBefore = entries.stream().filter(entry -> Files.exists(out.resolve(entry))).toList();
        if (!existedBefore.isEmpty() && !force) {
            throw new Failure(Failure.Kind.USAGE, out + " already holds a bundle (" + String.join(", ", existedBefore)
                    + "): give --force to replace it, or --out another directory");
        }
        try {
            // Replacing a bundle of another layout (or a zip with a folder): none of the old one's files stays to mix in.
            for (String old : existedBefore) {
                if (!old.equals(FleetLayout.BROKER_FOLDER) && !files.files().containsKey(old)) {
                    LocalIo.deleteQuietly(out.resolve(old));
                }
            }
            Path bundle = bundleEntry != null ? files.writeZip(out.resolve(bundleEntry)) : files.writeFolder(out);
            return new Created(deviceId, bundle, List.copyOf(files.files().keySet()), LocalBrokerWriter.write(out.resolve(FleetLayout.BROKER_FOLDER), pki,
                    server, settings.port(), settings.listenAddress()));
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            removeWhatWasWritten(out, entries, existedBefore);
            throw LocalIo.failure("cannot write the bundle to", out, cause).withDetail(existedBefore.isEmpty()
                    ? "; nothing was left behind" : "; the bundle there is incomplete: run again with --force once fixed");
        }
    }

    /**
     * The bundle's files (or its zip) and the broker folder: finding any of them means a bundle is already there.
     * Every layout's files count, so that a bundle of one layout is not silently mixed with another's.
     */
    private static List<String> bundleEntries(DeviceBundleFiles files, String zipName) {
        Stream<String> bundle = zipName != null ? Stream.of(zipName)
                : Stream.concat(BundleLayout.ORIGINAL_FILES.stream(), files.files().keySet().stream());
        return Stream.concat(bundle, Stream.of(FleetLayout.BROKER_FOLDER)).distinct().toList();
    }

    private static void removeWhatWasWritten(Path out, List<String> entries, List<String> existedBefore) {
        for (String entry : entries) {
            if (!existedBefore.contains(entry)) {
                LocalIo.deleteQuietly(out.resolve(entry));
            }
        }
    }

    /**
     * A new fleet directory: {@code devices} bundles {@code device-00001}, ... in {@code out/devices}, and beside
     * that folder, never in it, the CA that signed them ({@code out/ca}, keys owner-only) and the broker's files
     * ({@code out/broker}, its key too): {@code out/devices} can be copied to a volume or a Secret as it is. Refuses
     * a directory that already holds a fleet's CA.
     */
    public static FleetCreated newFleet(Path out, int devices, Settings settings) throws Failure {
        Path caFolder = out.resolve(FleetLayout.CA_FOLDER);
        if (Files.exists(caFolder)) {
            throw new Failure(Failure.Kind.USAGE, out + " already holds a fleet (" + caFolder + "): give --ca " + out
                    + " to add devices to it, or --out another directory");
        }
        DevelopmentPki pki = DevelopmentPki.create(settings.keyType(), Duration.ofDays(settings.days()));
        IssuedCertificate server = pki.issueServer(settings.hosts(), settings.keyType());
        try {
            writeCa(caFolder, pki);
            LocalBrokerWriter.Written broker = LocalBrokerWriter.write(out.resolve(FleetLayout.BROKER_FOLDER), pki,
                    server, settings.port(), settings.listenAddress());
            Path devicesFolder = out.resolve(FleetLayout.DEVICES_FOLDER);
            return new FleetCreated(writeDevices(devicesFolder, 1, devices, pki, Optional.of(server.certificate()), settings),
                    devicesFolder, caFolder, Optional.of(broker));
        } catch (IOException e) {
            throw new Failure(Failure.Kind.LOCAL_IO, "cannot write the fleet to " + out + ": " + e, e);
        }
    }

    /**
     * {@code devices} more bundles in {@code out/devices}, signed by the CA kept in {@code fleet/ca}, numbered on
     * from the devices already there; the broker's endpoint is that of the fleet's existing bundles unless
     * {@code endpointGiven}.
     */
    public static FleetCreated moreDevices(Path fleet, Path out, int devices, Settings settings, boolean endpointGiven)
            throws Failure {
        Path caFolder = fleet.resolve(FleetLayout.CA_FOLDER);
        DevelopmentPki pki = readCa(caFolder);
        Settings used = endpointGiven ? settings : existingEndpoint(fleet.resolve(FleetLayout.DEVICES_FOLDER)).map(e ->
                new Settings(settings.keyType(), settings.days(), List.of(e.host()), e.port(), settings.listenAddress(),
                        settings.layout(), settings.zip())).orElse(settings);
        Path devicesFolder = out.resolve(FleetLayout.DEVICES_FOLDER);
        try {
            return new FleetCreated(writeDevices(devicesFolder, nextNumber(devicesFolder), devices, pki,
                    brokerCertificate(fleet), used), devicesFolder, caFolder, Optional.empty());
        } catch (IOException e) {
            throw new Failure(Failure.Kind.LOCAL_IO, "cannot write the new devices to " + out + ": " + e, e);
        }
    }

    private static List<String> writeDevices(Path out, int first, int devices, DevelopmentPki pki,
            Optional<X509Certificate> brokerCertificate, Settings settings) throws IOException {
        List<String> ids = new ArrayList<>();
        Instant madeAt = Instant.now();
        for (int n = first; n < first + devices; n++) {
            String id = FleetLayout.deviceFolder(DEVICE_PREFIX, n);
            DeviceBundleFiles files = files(id, pki.issueClient(id, settings.keyType()), pki, brokerCertificate, settings);
            if (settings.zip()) {
                files.writeZip(out.resolve(files.zipName(madeAt)));
            } else {
                files.writeFolder(out.resolve(id));
            }
            ids.add(id);
        }
        return ids;
    }

    private static DeviceBundleFiles files(String id, IssuedCertificate device, DevelopmentPki pki,
            Optional<X509Certificate> brokerCertificate, Settings settings) {
        // EC keys as a device writes them (openssl ecparam -genkey -noout); RSA as openssl 3 writes them.
        PrivateKeyFormat keyFormat = settings.keyType() == KeyType.RSA ? PrivateKeyFormat.PKCS8 : PrivateKeyFormat.SEC1_EC;
        DeviceBundle bundle = DeviceBundle.of(id, device, pki.caChain(), settings.hosts().get(0), settings.port())
                .withKeyFormat(keyFormat, null);
        return settings.layout() == BundleLayout.MQTT_DOWNLOAD
                ? DeviceBundleFiles.platformDownload(bundle, brokerCertificate) : DeviceBundleFiles.original(bundle);
    }

    /** The local broker's certificate as the fleet's broker/ folder holds it, for the platform layout's mqtt-broker.pem. */
    private static Optional<X509Certificate> brokerCertificate(Path fleet) throws Failure {
        Path server = fleet.resolve(FleetLayout.BROKER_FOLDER).resolve("server.pem");
        return Files.isRegularFile(server) ? Optional.of(PemReader.certificates(pem(server)).get(0)) : Optional.empty();
    }

    /** The CA's certificates and keys, the keys (and the folder) readable by the owner only. */
    private static void writeCa(Path caFolder, DevelopmentPki pki) throws IOException {
        Files.createDirectories(caFolder.getParent());
        if (caFolder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectory(caFolder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectory(caFolder);
        }
        PemFiles.writeCertificates(caFolder.resolve("root.pem"), pki.root().certificate());
        PemFiles.writePrivateKey(caFolder.resolve("root.key"), pki.root().privateKey(), PrivateKeyFormat.PKCS8, null);
        PemFiles.writeCertificates(caFolder.resolve("intermediate.pem"), pki.intermediate().certificate());
        PemFiles.writePrivateKey(caFolder.resolve("intermediate.key"), pki.intermediate().privateKey(),
                PrivateKeyFormat.PKCS8, null);
    }

    private static DevelopmentPki readCa(Path caFolder) throws Failure {
        if (!Files.isDirectory(caFolder)) {
            throw new Failure(Failure.Kind.USAGE, "no fleet CA in " + caFolder.getParent() + " (" + caFolder
                    + " not found): give the directory that bundle create --devices made");
        }
        IssuedCertificate root = issued(caFolder, "root");
        IssuedCertificate intermediate = issued(caFolder, "intermediate");
        try {
            return DevelopmentPki.of(keyType(root.privateKey()), root, intermediate);
        } catch (IllegalArgumentException e) {
            throw new Failure(Failure.Kind.BUNDLE, caFolder + ": " + e.getMessage());
        }
    }

    private static IssuedCertificate issued(Path caFolder, String name) throws Failure {
        PemFile certificate = pem(caFolder.resolve(name + ".pem"));
        PemFile key = pem(caFolder.resolve(name + ".key"));
        return new IssuedCertificate(PemReader.certificates(certificate).get(0), PemReader.privateKey(key, Optional.empty()));
    }

    private static PemFile pem(Path file) throws Failure {
        try {
            return new PemFile(new FileOrigin.OnDisk(file), Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new Failure(Failure.Kind.BUNDLE, "cannot read the fleet CA's " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeyType keyType(PrivateKey key) {
        if (key instanceof ECPrivateKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? KeyType.EC_P384 : KeyType.EC;
        }
        return KeyType.RSA;
    }

    /** The endpoint in the fleet's first bundle (a folder or a zip, in any layout), so added devices reach the same broker. */
    private static Optional<Endpoint> existingEndpoint(Path devicesFolder) throws Failure {
        if (!Files.isDirectory(devicesFolder)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(devicesFolder)) {
            Optional<Path> first = entries.filter(p -> DEVICE_ENTRY.matcher(p.getFileName().toString()).matches())
                    .sorted().findFirst();
            if (first.isEmpty()) {
                return Optional.empty();
            }
            Optional<TextFile> endpoints = CredentialBundleReader.read(BundleLocation.at(first.get()), Optional.empty()).endpoints();
            return endpoints.isEmpty() ? Optional.empty() : Optional.of(EndpointsFile.read(endpoints.get()));
        } catch (IOException e) {
            throw new Failure(Failure.Kind.LOCAL_IO, "cannot list " + devicesFolder + ": " + e.getMessage(), e);
        }
    }

    private static int nextNumber(Path out) throws Failure {
        if (!Files.isDirectory(out)) {
            return 1;
        }
        try (Stream<Path> entries = Files.list(out)) {
            return entries.map(p -> DEVICE_ENTRY.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0) + 1;
        } catch (IOException e) {
            throw new Failure(Failure.Kind.LOCAL_IO, "cannot list " + out + ": " + e.getMessage(), e);
        }
    }
}

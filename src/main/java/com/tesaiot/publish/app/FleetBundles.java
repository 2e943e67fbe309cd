package com.tesaiot.publish.app;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.BundleLocation;
import com.tesaiot.publish.bundle.CredentialBundleReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The credential bundles of a fleet: each sub-folder or {@code .zip} of one directory is one device's bundle. Sorted
 * by device id (by name where the id cannot be read), so every process slices the same list into the same shards.
 */
public final class FleetBundles {
    private FleetBundles() {
    }

    /**
     * One bundle of the fleet, with its device id when it could be read (else why not: the bundle is then refused).
     */
    public record Source(Path path, Optional<String> deviceId, Optional<Failure> unreadable) {
        /** The bundle's file or folder name: how the user finds it in the directory. */
        public String name() {
            return path.getFileName().toString();
        }

        /** The device id, else the bundle's name: how reports name this device. */
        public String label() {
            return deviceId.orElse(name());
        }

        /** Where the bundle's files are, for the reader: a folder or a zip, in any layout it reads. */
        public BundleLocation location() {
            return BundleLocation.at(path);
        }
    }

    /**
     * Every bundle in {@code directory}, sorted by device id, after refusing what no fleet can run: a directory
     * that is missing or holds no bundle at all (no usable bundle, as for a single run), and two bundles with the
     * same device id.
     */
    public static List<Source> discover(Path directory) throws Failure {
        if (!Files.isDirectory(directory)) {
            throw new Failure(Failure.Kind.BUNDLE, "fleet directory " + directory + " not found (or not a directory)");
        }
        if (Files.isDirectory(directory.resolve(FleetLayout.DEVICES_FOLDER)) && Files.isDirectory(directory.resolve(FleetLayout.CA_FOLDER))) {
            throw new Failure(Failure.Kind.USAGE, directory + " is a fleet made by bundle create --devices: its bundles are in "
                    + directory.resolve(FleetLayout.DEVICES_FOLDER) + ", give that folder");
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(directory)) {
            entries = list.filter(p -> Files.isDirectory(p) || p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList();
        } catch (IOException e) {
            throw new Failure(Failure.Kind.LOCAL_IO, "cannot list fleet directory " + directory + ": " + e.getMessage(), e);
        }
        List<Source> sources = new ArrayList<>();
        for (Path entry : entries) {
            sources.add(read(entry));
        }
        if (sources.isEmpty()) {
            throw new Failure(Failure.Kind.BUNDLE, "fleet directory " + directory + " holds no bundle: give a directory"
                    + " with one sub-folder (holding device_id.txt, client_cert.pem, client_key.pem, ca-chain.pem) or"
                    + " .zip per device");
        }
        if (sources.stream().allMatch(s -> s.unreadable().isPresent())) {
            throw new Failure(Failure.Kind.BUNDLE, "fleet directory " + directory + " holds no usable bundle: none of its "
                    + sources.size() + " has a readable device id (first: " + sources.get(0).unreadable().get().getMessage() + ")");
        }
        refuseDuplicates(sources);
        sources.sort(Comparator.comparing(Source::label).thenComparing(Source::name));
        return sources;
    }

    private static Source read(Path entry) {
        Source unread = new Source(entry, Optional.empty(), Optional.empty());
        try {
            String id = CredentialBundleReader.readDeviceId(unread.location(), Optional.empty()).value();
            return new Source(entry, Optional.of(id), Optional.empty());
        } catch (Failure f) {
            return new Source(entry, Optional.empty(), Optional.of(f));
        }
    }

    private static void refuseDuplicates(List<Source> sources) throws Failure {
        Map<String, Source> byId = new HashMap<>();
        for (Source source : sources) {
            if (source.deviceId().isEmpty()) {
                continue;
            }
            Source first = byId.putIfAbsent(source.deviceId().get(), source);
            if (first != null) {
                throw new Failure(Failure.Kind.BUNDLE, "two bundles have device id '" + source.deviceId().get() + "': "
                        + first.path() + " and " + source.path() + "; each device of a fleet needs its own identity");
            }
        }
    }
}

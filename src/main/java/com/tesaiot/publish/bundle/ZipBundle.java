package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A bundle in a zip, as the platform hands it out, read in memory: nothing is extracted, so the key is never
 * written anywhere. Only the few files the bundle's layout names are decompressed, each and all together bounded
 * in size, so a zip bomb costs at most that; an entry that would land outside the archive's folder ({@code ../}) refuses the
 * whole zip, as an unzip tool should.
 */
final class ZipBundle implements BundleSource {
    /** A platform download has about ten entries; far more is not a credential bundle. */
    static final int MAX_ENTRIES = 10_000;
    /** All files read from one zip together: a bundle's few PEM files are a few KiB. */
    static final long MAX_TOTAL_BYTES = 4L * BundleFiles.MAX_BYTES;

    private final Path zip;
    private final ZipFile file;
    /** The folder wrapping the bundle inside the zip ("" or "name/"). */
    private final String wrapper;
    private final Map<String, ZipEntry> topFiles;
    private final List<String> folders;
    private long inflated;

    private ZipBundle(Path zip, ZipFile file, String wrapper, Map<String, ZipEntry> topFiles, List<String> folders) {
        this.zip = zip;
        this.file = file;
        this.wrapper = wrapper;
        this.topFiles = topFiles;
        this.folders = folders;
    }

    static ZipBundle open(Path zip) throws Failure {
        ZipFile file;
        try {
            file = new ZipFile(zip.toFile());
        } catch (ZipException e) {
            file = reopened(zip, e);
        } catch (IOException e) {
            throw new Failure(Failure.Kind.BUNDLE, zip + " could not be read: " + e.getMessage(), e);
        }
        try {
            return list(zip, file);
        } catch (Failure | RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
    }

    /**
     * A zip the JDK refused to open, looked at again through its central directory: a password-protected one is
     * named as such (the JDK reads no encrypted entry); one whose entry names are in a legacy code page (as
     * Windows' own zip tool writes them, without the UTF-8 flag) is opened with the code page the zip format names
     * for that, IBM 437: a bundle's own file names are ASCII, the same in every code page.
     */
    private static ZipFile reopened(Path zip, ZipException refusal) throws Failure {
        Optional<ZipDirectory> directory = ZipDirectory.read(zip);
        if (directory.isPresent() && !directory.get().encrypted().isEmpty()) {
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CERTS_DIR, "encrypted zip: " + zip + " is protected by"
                    + " a password (" + shortList(directory.get().encrypted()) + "), which is not supported, extract"
                    + " it: unzip asks for the password; then give the folder");
        }
        if (directory.isPresent() && directory.get().legacyNames()) {
            try {
                return new ZipFile(zip.toFile(), Charset.forName("IBM437"));
            } catch (IOException e) {
                throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CERTS_DIR, zip + " is a zip whose entry names are"
                        + " not UTF-8 (a legacy code page), and it could not be read even so: " + e.getMessage(), e);
            }
        }
        throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CERTS_DIR, zip + " is neither a folder nor a zip file ("
                + refusal.getMessage() + ")", refusal);
    }

    private static String shortList(List<String> names) {
        return names.size() <= 3 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
    }

    private static ZipBundle list(Path zip, ZipFile file) throws Failure {
        if (file.size() > MAX_ENTRIES) {
            throw bad(zip + " holds " + file.size() + " entries: far more than a credential bundle");
        }
        List<Map.Entry<String, ZipEntry>> entries = new ArrayList<>();
        for (ZipEntry entry : Collections.list(file.entries())) {
            String name = entry.getName().replace('\\', '/').replaceAll("^(\\./)+", "");
            if (escapes(name)) {
                throw bad(zip + " holds an entry that points outside the archive (" + entry.getName()
                        + "): not a bundle to trust");
            }
            if (!entry.isDirectory() && !name.startsWith("__MACOSX/") && !name.endsWith(".DS_Store")) {
                entries.add(Map.entry(name, entry));
            }
        }
        if (entries.isEmpty()) {
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CERTS_DIR, zip + " holds no files");
        }
        String wrapper = wrapper(entries.stream().map(Map.Entry::getKey).toList());
        Map<String, ZipEntry> topFiles = new LinkedHashMap<>();
        List<String> folders = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        entries.forEach(named -> {
            String name = named.getKey();
            ZipEntry entry = named.getValue();
            String inside = name.substring(wrapper.length());
            int slash = inside.indexOf('/');
            if (slash < 0) {
                ZipEntry earlier = topFiles.putIfAbsent(inside, entry);
                if (earlier != null) {
                    duplicates.add(earlier.getName() + " and " + entry.getName());
                }
            } else if (!folders.contains(inside.substring(0, slash))) {
                folders.add(inside.substring(0, slash));
            }
        });
        if (!duplicates.isEmpty()) {
            // Which one an unzip tool keeps depends on the tool: the user must say which is meant.
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CERTS_DIR, zip + " holds two entries of one name ("
                    + String.join("; ", duplicates) + "): which one is meant is unclear; remove one of them");
        }
        return new ZipBundle(zip, file, wrapper, topFiles, folders);
    }

    /** The one folder every file is in ("name/"), or "" when the files are not all in one folder. */
    private static String wrapper(Iterable<String> names) {
        String first = null;
        for (String name : names) {
            int slash = name.indexOf('/');
            if (slash < 0) {
                return "";
            }
            String folder = name.substring(0, slash + 1);
            if (first == null) {
                first = folder;
            } else if (!first.equals(folder)) {
                return "";
            }
        }
        return first == null ? "" : first;
    }

    private static boolean escapes(String name) {
        return name.startsWith("/") || name.matches("^[A-Za-z]:.*") || ("/" + name + "/").contains("/../");
    }

    @Override
    public List<String> names() {
        return List.copyOf(topFiles.keySet());
    }

    @Override
    public List<String> folders() {
        return List.copyOf(folders);
    }

    @Override
    public FileOrigin origin(String name) {
        ZipEntry entry = topFiles.get(name);
        return new FileOrigin.InZip(zip, entry == null ? wrapper + name : entry.getName());
    }

    @Override
    public String read(String name, Failure.Input input) throws Failure {
        ZipEntry entry = topFiles.get(name);
        FileOrigin origin = origin(name);
        if (entry == null) {
            throw new Failure(Failure.Kind.BUNDLE, input, origin + " not found");
        }
        // The size the zip declares is checked first, so a bomb is refused without inflating a byte of it; the
        // bounded read catches a zip that lies about it.
        if (entry.getSize() > BundleFiles.MAX_BYTES) {
            throw tooLarge(origin, entry.getSize());
        }
        byte[] bytes;
        try (InputStream in = file.getInputStream(entry)) {
            bytes = in.readNBytes(BundleFiles.MAX_BYTES + 1);
        } catch (IOException e) {
            throw new Failure(Failure.Kind.BUNDLE, origin + " could not be read from the zip: " + e.getMessage(), e);
        }
        if (bytes.length > BundleFiles.MAX_BYTES) {
            throw tooLarge(origin, -1);
        }
        inflated += bytes.length;
        if (inflated > MAX_TOTAL_BYTES) {
            throw bad(zip + ": its bundle files are larger than " + MAX_TOTAL_BYTES / 1024 + " KiB together,"
                    + " uncompressed: not a credential bundle");
        }
        return BundleFiles.text(origin.toString(), bytes);
    }

    private static Failure tooLarge(FileOrigin origin, long declared) {
        return bad(origin + " is larger than " + BundleFiles.MAX_BYTES / 1024 + " KiB uncompressed"
                + (declared > 0 ? " (it says " + declared + " bytes)" : "") + ": not a file of a credential bundle");
    }

    @Override
    public void close() {
        closeQuietly(file);
    }

    private static void closeQuietly(ZipFile file) {
        try {
            file.close();
        } catch (IOException e) {
            // Read-only: nothing of ours is lost when closing fails.
        }
    }

    private static Failure bad(String message) {
        return new Failure(Failure.Kind.BUNDLE, message);
    }

    @Override
    public String toString() {
        return zip.toString();
    }
}

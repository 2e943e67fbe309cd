package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A credential bundle's files as they are stored: a folder on disk, or a zip read in memory. Either may wrap the
 * bundle in one folder of its own (as an unpacked download does): its top is then that folder.
 */
sealed interface BundleSource extends AutoCloseable permits FolderBundle, ZipBundle {

    /** The bundle at {@code path}: a folder, or any other file read as a zip. */
    static BundleSource open(Path path) throws Failure {
        if (Files.isDirectory(path)) {
            return FolderBundle.open(path);
        }
        if (!Files.exists(path)) {
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CERTS_DIR_ABSENT, "credential bundle "
                    + (path.toString().endsWith(".zip") ? "" : "directory ") + path + " not found");
        }
        if (!Files.isRegularFile(path)) {
            // A zip is read in place, by random access: from a pipe it could only be streamed, or wait for a writer.
            throw new Failure(Failure.Kind.BUNDLE, Failure.Input.CERTS_DIR, path + " is " + BundleFiles.kindOf(path)
                    + ", neither a folder nor a zip file" + (BundleFiles.isHandedOverByTheShell(path)
                    ? ": a zip is read in place, so save it to a file first" : ""));
        }
        return ZipBundle.open(path);
    }

    /** The files at the bundle's top, by name. */
    List<String> names();

    /** The folders at the bundle's top (telemetry/, say), for a message about what was found. */
    List<String> folders();

    /** Where the file of that name is, whether or not it exists. */
    FileOrigin origin(String name);

    /**
     * The text of the file of that name; a failure naming it when it is missing, unreadable, too large or not text.
     * {@code input} is what the user can give instead when it is missing, or null.
     */
    String read(String name, Failure.Input input) throws Failure;

    @Override
    void close();
}

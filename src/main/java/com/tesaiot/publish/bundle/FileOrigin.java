package com.tesaiot.publish.bundle;

import java.nio.file.Path;

/**
 * Where one file of a bundle was read from: a file on disk, or an entry of a zip read into memory. Messages name
 * it by {@link #toString()}; only a file on disk can have its permissions changed.
 */
public sealed interface FileOrigin {

    /** The file's own name, without folders: what a user sees in a listing. */
    String name();

    /** A file on disk. */
    record OnDisk(Path path) implements FileOrigin {
        @Override
        public String name() {
            return path.getFileName().toString();
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** An entry of a zip archive, named as {@code /path/bundle.zip!/entry} (the JDK's jar URL style). */
    record InZip(Path zip, String entry) implements FileOrigin {
        @Override
        public String name() {
            return entry.substring(entry.lastIndexOf('/') + 1);
        }

        @Override
        public String toString() {
            return zip + "!/" + entry;
        }
    }
}

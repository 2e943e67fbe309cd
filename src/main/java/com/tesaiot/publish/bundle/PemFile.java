package com.tesaiot.publish.bundle;

import java.nio.file.Path;

/** The text of one PEM file of the bundle, with the path that error messages name. */
public record PemFile(Path path, String text) {
    /** Only the path: a PEM file may hold a private key, which must never reach a log line. */
    @Override
    public String toString() {
        return path.toString();
    }

    public String name() {
        return path.getFileName().toString();
    }
}

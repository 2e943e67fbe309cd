package com.tesaiot.publish.bundle;

/** The text of one PEM file of the bundle, with where it came from, which error messages name. */
public record PemFile(FileOrigin origin, String text) {
    /** Only the origin: a PEM file may hold a private key, which must never reach a log line. */
    @Override
    public String toString() {
        return origin.toString();
    }

    public String name() {
        return origin.name();
    }
}

package com.tesaiot.publish.bundle;

/** The text of one non-PEM file of the bundle (endpoints.json), with where it came from. */
public record TextFile(FileOrigin origin, String text) {
    @Override
    public String toString() {
        return origin.toString();
    }
}

package com.tesaiot.publish.bundle;

/** A password or API key: its value is handed only to the code that sends it, never to a log or a message. */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = value;
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "******";
    }
}

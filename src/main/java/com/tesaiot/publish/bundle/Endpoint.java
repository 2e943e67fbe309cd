package com.tesaiot.publish.bundle;

/** Where the broker listens for MQTT over TLS. */
public record Endpoint(String host, int port) {
    public static final String DEFAULT_HOST = "mqtt.tesaiot.com";
    public static final int DEFAULT_PORT = 8883;

    /** host:port, with an IPv6 literal in brackets so the port stays unambiguous. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

package com.tesaiot.publish.bundle;

/** Where the broker listens for MQTT over TLS. */
public record Endpoint(String host, int port) {
    public static final String DEFAULT_HOST = "mqtt.tesaiot.com";
    public static final int DEFAULT_PORT = 8883;

    /**
     * {@code address} (a URL or a host) with the password of any user info replaced by {@code ***}, as in
     * {@code mqtts://user:***@host:8883}: what every message shows of an address read from a file or given, so a
     * password written into it is never printed. The user info ends at the authority's last '@', so a password
     * holding an '@' of its own is hidden whole.
     */
    public static String redacted(String address) {
        int scheme = address.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = start;
        while (end < address.length() && "/?#".indexOf(address.charAt(end)) < 0) {
            end++;
        }
        int at = address.lastIndexOf('@', end - 1);
        if (at < start) {
            return address;
        }
        int colon = address.indexOf(':', start);
        return colon < 0 || colon > at ? address
                : address.substring(0, colon) + ":***" + address.substring(at);
    }

    /** host:port, with an IPv6 literal in brackets so the port stays unambiguous. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

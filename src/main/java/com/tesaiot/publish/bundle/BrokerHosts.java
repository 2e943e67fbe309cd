package com.tesaiot.publish.bundle;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Whether a text can name a broker host: a DNS name, an IPv4 address, or an IPv6 literal (with or without its
 * brackets). Judged by {@link URI}, the parser Paho itself gives the address to, so what passes here Paho takes.
 */
public final class BrokerHosts {
    private BrokerHosts() {
    }

    /** The host as Paho and the JDK want it: an IPv6 literal without brackets. */
    public static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Why {@code host} is not a host name or address, if it is not. */
    public static Optional<String> problemWith(String host) {
        String bare = unbracketed(host);
        if (bare.isEmpty()) {
            return Optional.of("the broker host is empty");
        }
        if (bare.contains("@")) {
            return Optional.of("'" + Endpoint.redacted(host) + "' holds a user name before '@': give the host alone");
        }
        try {
            URI uri = new URI("ssl://" + (bare.contains(":") ? "[" + bare + "]" : bare) + ":8883");
            if (uri.getHost() != null && uri.getPort() == 8883) {
                return Optional.empty();
            }
        } catch (URISyntaxException e) {
            // Falls through to the one message below.
        }
        return Optional.of("'" + Endpoint.redacted(host) + "' is not a host name or an IP address (for IPv6, e.g. ::1 or [::1])");
    }
}

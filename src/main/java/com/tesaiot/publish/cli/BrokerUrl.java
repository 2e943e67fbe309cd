package com.tesaiot.publish.cli;

import com.tesaiot.publish.bundle.BrokerHosts;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;
import java.util.Optional;

/**
 * The broker as one URL, {@code mqtts://[user@]host[:port][/topic]}, as mosquitto_pub's {@code -L} takes it. Only
 * MQTT over TLS: the port defaults to 8883, and the topic is everything after the first slash, taken as typed (a
 * topic may hold characters a URL would escape, and a fleet's {@code {device_id}}).
 */
record BrokerUrl(String host, int port, Optional<String> userName, Optional<String> topic) {
    static final int DEFAULT_PORT = 8883;

    static BrokerUrl parse(String url) {
        String text = url.strip();
        int schemeEnd = text.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("mqtts") && !scheme.equals("ssl")) {
            throw new IllegalArgumentException("'" + url + "' is not an mqtts:// URL (e.g. mqtts://broker.example:8883/device/ID/telemetry);"
                    + " this tool speaks MQTT over TLS only");
        }
        String rest = text.substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        Optional<String> topic = slash < 0 || slash == rest.length() - 1 ? Optional.empty() : Optional.of(rest.substring(slash + 1));
        Optional<String> user = Optional.empty();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            if (userInfo.contains(":")) {
                // A password in a URL is on the command line, readable by every user of the machine (ps).
                throw new IllegalArgumentException("a password in the URL is refused: give it in MQTT_PASSWORD"
                        + " (or --password alone, to be asked)");
            }
            user = userInfo.isEmpty() ? Optional.empty() : Optional.of(userInfo);
            authority = authority.substring(at + 1);
        }
        String host = authority;
        int port = DEFAULT_PORT;
        int portColon = authority.startsWith("[") ? authority.indexOf(':', authority.indexOf(']')) : authority.lastIndexOf(':');
        if (portColon >= 0 && (authority.startsWith("[") || authority.indexOf(':') == portColon)) {
            host = authority.substring(0, portColon);
            String digits = authority.substring(portColon + 1);
            try {
                port = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the port in '" + url + "' must be within 1..65535, not '" + digits + "'");
            }
        }
        Optional<String> problem = BrokerHosts.problemWith(host);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get() + " in '" + url + "'");
        }
        return new BrokerUrl(BrokerHosts.unbracketed(host), port, user, topic);
    }

    /** For picocli: the URL checked as it is parsed, so a bad one is a usage error naming -L. */
    static final class Converter implements ITypeConverter<BrokerUrl> {
        @Override
        public BrokerUrl convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}

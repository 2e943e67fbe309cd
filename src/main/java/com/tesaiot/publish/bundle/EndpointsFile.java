package com.tesaiot.publish.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.tesaiot.publish.Failure;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the broker's address from endpoints.json, which comes in two shapes in the wild:
 * {"mqtt_host": "h", "mqtt_mtls_port": 8883} and {"mqtt_broker": "mqtts://h:8883", ...}. Other keys are ignored.
 */
public final class EndpointsFile {
    private static final Set<String> TLS_SCHEMES = Set.of("mqtts", "ssl", "tls", "mqtt+ssl");

    private EndpointsFile() {
    }

    /** Empty when the file does not exist: the caller then falls back to its defaults. */
    public static Optional<Endpoint> read(Path file) throws Failure {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = BundleFiles.readText(file, null);
        Map<String, JsonToken> kinds = new HashMap<>();
        Map<String, String> values = new HashMap<>();
        // Jackson's streaming parser: the file is a flat object of a few keys, and databind's start-up would
        // cost more than reading them (see TelemetryStream). Nested values are skipped, unknown keys ignored.
        try (JsonParser json = new JsonFactory().createParser(text)) {
            JsonToken first = json.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw bad(file + " should hold a JSON object, not " + describe(first));
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String key = json.currentName();
                JsonToken value = json.nextToken();
                if (value.isStructStart()) {
                    kinds.put(key, value);
                    json.skipChildren();
                } else {
                    kinds.put(key, value);
                    values.put(key, json.getText());
                }
            }
            if (json.nextToken() != null) {
                throw bad(file + " holds more than one JSON value");
            }
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw bad(file + " is not valid JSON"
                    + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Failure(Failure.Kind.BUNDLE, file + " could not be read: " + e.getMessage(), e);
        }
        if (present(kinds, "mqtt_host")) {
            String host = BrokerHosts.unbracketed(text(file, kinds, values, "mqtt_host").strip());
            if (host.isEmpty()) {
                throw bad(file + ": mqtt_host is empty");
            }
            Optional<String> problem = BrokerHosts.problemWith(host);
            if (problem.isPresent()) {
                throw bad(file + ": mqtt_host " + problem.get());
            }
            if (present(kinds, "mqtt_mtls_port") && !values.containsKey("mqtt_mtls_port")) {
                throw bad(file + ": mqtt_mtls_port should be a port number, not " + describe(kinds.get("mqtt_mtls_port")));
            }
            int port = present(kinds, "mqtt_mtls_port") ? port(file, values.get("mqtt_mtls_port")) : Endpoint.DEFAULT_PORT;
            return Optional.of(new Endpoint(host, port));
        }
        if (present(kinds, "mqtt_broker")) {
            return Optional.of(fromUrl(file, text(file, kinds, values, "mqtt_broker").strip()));
        }
        throw bad(file + " names no broker: it needs mqtt_host (with mqtt_mtls_port) or mqtt_broker (mqtts://host:port)");
    }

    /** A key's value, which must be a string: a number or an object where a host belongs is the file's mistake. */
    private static String text(Path file, Map<String, JsonToken> kinds, Map<String, String> values, String key) throws Failure {
        JsonToken kind = kinds.get(key);
        if (kind != JsonToken.VALUE_STRING) {
            throw bad(file + ": " + key + " should be a string, not " + describe(kind));
        }
        return values.get(key);
    }

    private static boolean present(Map<String, JsonToken> kinds, String key) {
        return kinds.containsKey(key) && kinds.get(key) != JsonToken.VALUE_NULL;
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "null";
        };
    }

    private static Endpoint fromUrl(Path file, String url) throws Failure {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw bad(file + ": mqtt_broker '" + url + "' is not a URL like mqtts://host:8883");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw bad(file + ": mqtt_broker '" + url + "' is not a URL like mqtts://host:8883");
        }
        if (!TLS_SCHEMES.contains(uri.getScheme().toLowerCase())) {
            throw bad(file + ": mqtt_broker '" + url + "' is not a TLS address; this tool publishes only over"
                    + " mutual TLS (mqtts://host:port)");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new Endpoint(host, uri.getPort() == -1 ? Endpoint.DEFAULT_PORT : checkedPort(file, uri.getPort()));
    }

    private static int port(Path file, String value) throws Failure {
        String text = value.strip();
        try {
            return checkedPort(file, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw bad(file + ": mqtt_mtls_port '" + text + "' is not a port number");
        }
    }

    private static int checkedPort(Path file, int port) throws Failure {
        if (port < 1 || port > 65535) {
            throw bad(file + ": port " + port + " is outside 1..65535");
        }
        return port;
    }

    private static Failure bad(String message) {
        return new Failure(Failure.Kind.BUNDLE, message);
    }
}

package com.tesaiot.publish.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.tesaiot.publish.Failure;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the broker's mutual-TLS address from endpoints.json, which comes in three shapes: the original's flat
 * {"mqtt_host": "h", "mqtt_mtls_port": 8883}, {"mqtt_broker": "mqtts://h:8883", ...}, and the platform's download
 * {"mqtt": {"tls": {...}, "mtls": {"host": "h", "port": 8883}, ...}, "api": {...}, ...}. Other keys are ignored.
 */
public final class EndpointsFile {
    private static final Set<String> TLS_SCHEMES = Set.of("mqtts", "ssl", "tls", "mqtt+ssl");
    /** Deep enough for mqtt.mtls.host; deeper objects are skipped unread. */
    private static final int MAX_DEPTH = 3;

    private EndpointsFile() {
    }

    /** The broker endpoints.json names; a failure naming the file when it names none or a wrong one. */
    public static Endpoint read(TextFile file) throws Failure {
        String shown = file.toString();
        Map<String, Scalar> values = scalars(shown, file.text());
        if (present(values, "mqtt_host")) {
            return new Endpoint(host(shown, values, "mqtt_host"),
                    present(values, "mqtt_mtls_port") ? port(shown, values, "mqtt_mtls_port") : Endpoint.DEFAULT_PORT);
        }
        if (present(values, "mqtt_broker")) {
            Scalar url = values.get("mqtt_broker");
            if (url.kind() != JsonToken.VALUE_STRING) {
                throw bad(shown + ": mqtt_broker should be a URL in quotes (mqtts://host:port), not " + describe(url.kind()));
            }
            return fromUrl(shown, url.text().strip());
        }
        if (present(values, "mqtt.mtls.host")) {
            return new Endpoint(host(shown, values, "mqtt.mtls.host"),
                    present(values, "mqtt.mtls.port") ? port(shown, values, "mqtt.mtls.port") : Endpoint.DEFAULT_PORT);
        }
        throw bad(shown + " names no broker for mutual TLS: " + found(values) + "; it needs mqtt_host (with"
                + " mqtt_mtls_port), mqtt_broker (mqtts://host:port) or mqtt.mtls.host (with mqtt.mtls.port)");
    }

    /** One scalar of the file: its JSON kind and its text. */
    private record Scalar(JsonToken kind, String text) {
    }

    /**
     * Every value of the file by its dotted path (mqtt.mtls.host), read with Jackson's streaming parser: the file
     * is a few keys, and databind's start-up would cost more than reading them (see TelemetryStream). An object or
     * array is kept by its kind alone, so that one where a host or port belongs is named; what is inside arrays and
     * objects deeper than {@link #MAX_DEPTH} is skipped.
     */
    private static Map<String, Scalar> scalars(String shown, String text) throws Failure {
        Map<String, Scalar> values = new LinkedHashMap<>();
        try (JsonParser json = new JsonFactory().createParser(text)) {
            JsonToken first = json.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw bad(shown + " should hold a JSON object, not " + describe(first));
            }
            object(json, "", 1, values);
            if (json.nextToken() != null) {
                throw bad(shown + " holds more than one JSON value");
            }
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw bad(shown + " is not valid JSON"
                    + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Failure(Failure.Kind.BUNDLE, shown + " could not be read: " + e.getMessage(), e);
        }
        return values;
    }

    private static void object(JsonParser json, String prefix, int depth, Map<String, Scalar> into) throws IOException {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String key = prefix + json.currentName();
            JsonToken value = json.nextToken();
            if (value.isStructStart()) {
                into.put(key, new Scalar(value, ""));
            }
            if (value == JsonToken.START_OBJECT && depth < MAX_DEPTH) {
                object(json, key + ".", depth + 1, into);
            } else if (value.isStructStart()) {
                json.skipChildren();
            } else {
                into.put(key, new Scalar(value, json.getText()));
            }
        }
    }

    private static boolean present(Map<String, Scalar> values, String key) {
        return values.containsKey(key) && values.get(key).kind() != JsonToken.VALUE_NULL;
    }

    /** What the file does hold, for a message: the platform's TLS-only listener, or the keys found. */
    private static String found(Map<String, Scalar> values) {
        if (present(values, "mqtt.tls.host")) {
            return "it has mqtt.tls (" + Endpoint.redacted(values.get("mqtt.tls.host").text())
                    + (present(values, "mqtt.tls.port") ? ":" + values.get("mqtt.tls.port").text() : "")
                    + ", TLS without a client certificate) but no mqtt.mtls";
        }
        List<String> keys = values.keySet().stream().map(k -> k.contains(".") ? k.substring(0, k.indexOf('.')) : k)
                .distinct().toList();
        return keys.isEmpty() ? "it holds an empty object" : "found only " + keys.stream().collect(Collectors.joining(", "));
    }

    private static String host(String shown, Map<String, Scalar> values, String key) throws Failure {
        Scalar value = values.get(key);
        if (value.kind() != JsonToken.VALUE_STRING) {
            throw bad(shown + ": " + key + " should be a host name in quotes, not " + describe(value.kind()));
        }
        String host = BrokerHosts.unbracketed(value.text().strip());
        if (host.isEmpty()) {
            throw bad(shown + ": " + key + " is empty");
        }
        Optional<String> problem = BrokerHosts.problemWith(host);
        if (problem.isPresent()) {
            throw bad(shown + ": " + key + " " + problem.get());
        }
        return host;
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

    /**
     * The broker of an mqtt_broker URL. A user name and password in it are refused rather than used: the
     * platform's devices log in with their API key (api_key.txt) and their id, a password in a file beside the key
     * would be a second, silent source of credentials, and one in an address ends up in logs; every message shows
     * the URL with its password hidden.
     */
    private static Endpoint fromUrl(String shown, String url) throws Failure {
        String safe = Endpoint.redacted(url);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw bad(shown + ": mqtt_broker '" + safe + "' is not a URL like mqtts://host:8883");
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw bad(shown + ": mqtt_broker '" + safe + "' is not a URL like mqtts://host:8883");
        }
        if (!TLS_SCHEMES.contains(uri.getScheme().toLowerCase())) {
            throw bad(shown + ": mqtt_broker '" + safe + "' is not a TLS address; this tool publishes only over"
                    + " mutual TLS (mqtts://host:port)");
        }
        if (uri.getRawUserInfo() != null) {
            throw bad(shown + ": mqtt_broker '" + safe + "' holds " + (safe.equals(url) ? "a user name, which is"
                    : "a user name and password, which are") + " not read from an address: the device's password is its API key (api_key.txt) or"
                    + " the run's own; remove them from the URL");
        }
        // What follows host:port (a WebSocket path, a topic) would otherwise be dropped without a word.
        if (!(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad(shown + ": mqtt_broker '" + safe + "' goes on after host:port; the broker's address here is"
                    + " mqtts://host:port and nothing more (a topic goes in --topic)");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new Endpoint(host, uri.getPort() == -1 ? Endpoint.DEFAULT_PORT : checkedPort(shown, uri.getPort()));
    }

    private static int port(String shown, Map<String, Scalar> values, String key) throws Failure {
        Scalar value = values.get(key);
        if (value.kind() == JsonToken.VALUE_NUMBER_FLOAT) {
            throw bad(shown + ": " + key + " should be a whole port number (1..65535), not " + value.text());
        }
        if (value.kind() != JsonToken.VALUE_NUMBER_INT && value.kind() != JsonToken.VALUE_STRING) {
            throw bad(shown + ": " + key + " should be a port number, not " + describe(value.kind()));
        }
        String text = value.text().strip();
        try {
            return checkedPort(shown, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw bad(shown + ": " + key + " '" + text + "' is not a port number");
        }
    }

    private static int checkedPort(String shown, int port) throws Failure {
        if (port < 1 || port > 65535) {
            throw bad(shown + ": port " + port + " is outside 1..65535");
        }
        return port;
    }

    private static Failure bad(String message) {
        return new Failure(Failure.Kind.BUNDLE, message);
    }
}

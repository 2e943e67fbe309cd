package com.tesaiot.publish.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.testing.brokers.MosquittoProcess;
import com.tesaiot.publish.testing.brokers.MosquittoProcess.LoggedConnect;
import com.tesaiot.publish.testing.brokers.MosquittoProcess.LoggedPublish;
import com.tesaiot.publish.testing.brokers.MosquittoSubscriber;
import com.tesaiot.publish.testing.brokers.MosquittoSubscriber.Message;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * What a run must have delivered, checked where a user would look: at a subscriber and in the broker's own log.
 * Payloads are checked against the platform's telemetry schema from the bytes that arrived, not through the
 * tool's own model classes.
 */
final class DeliveredTelemetry {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00");
    private static final Set<String> DATA_FIELDS = Set.of("spo2", "spo2_unit", "temperature", "temperature_unit",
            "heart_rate", "heart_rate_bpm", "perfusion_index", "motion", "signal_quality", "rhythm", "rr_interval_ms",
            "qt_interval_ms", "site");

    private DeliveredTelemetry() {
    }

    /**
     * The subscriber got exactly {@code count} telemetry messages of {@code deviceId} on its topic, and the broker's
     * log agrees: one connection with client id = device id and user name = the certificate's CN, and
     * {@code count} PUBLISH packets at QoS 1 on that topic, none denied.
     */
    static void assertDelivered(MosquittoProcess broker, MosquittoSubscriber subscriber, String deviceId, int count)
            throws MqttException {
        String topic = "device/" + deviceId + "/telemetry";
        subscriber.awaitMessagesOn(topic, count);
        subscriber.awaitFence();
        List<Message> received = subscriber.messagesOn(topic);
        assertEquals(count, received.size(), "messages at the subscriber");
        received.forEach(message -> assertTelemetryOf(deviceId, message.payload()));

        List<LoggedConnect> connects = broker.connects().stream().filter(c -> c.clientId().equals(deviceId)).toList();
        List<LoggedPublish> publishes = broker.publishesFrom(deviceId);
        assertAll(
                () -> assertEquals(List.of(new LoggedConnect(deviceId, deviceId)), connects,
                        "one connection for the whole run, client id = device id, user = certificate CN"),
                () -> assertEquals(count, publishes.size(), "PUBLISH packets the broker received"),
                () -> assertTrue(publishes.stream().allMatch(p -> p.topic().equals(topic) && p.qos() == 1
                        && !p.denied()), publishes::toString));
    }

    /** Fails unless {@code payload} is one telemetry JSON object of the schema for {@code deviceId}. */
    static void assertTelemetryOf(String deviceId, byte[] payload) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("payload is not JSON: " + new String(payload), e);
        }
        JsonNode data = root.path("data");
        String text = root.toString();
        assertAll(text,
                () -> assertEquals(Set.of("device_id", "timestamp", "data"), names(root), "top-level fields"),
                () -> assertEquals(deviceId, root.path("device_id").asText(), "device_id"),
                () -> assertTrue(TIMESTAMP.matcher(root.path("timestamp").asText()).matches(),
                        "timestamp is UTC ISO-8601 at whole seconds with +00:00"),
                () -> assertEquals(DATA_FIELDS, names(data), "data fields"),
                () -> assertTrue(data.path("spo2").isInt(), "spo2 is an integer"),
                () -> assertEquals("%", data.path("spo2_unit").asText()),
                () -> assertTrue(data.path("temperature").isNumber(), "temperature is a number"),
                () -> assertEquals("°C", data.path("temperature_unit").asText()),
                () -> assertTrue(data.path("heart_rate").isInt(), "heart_rate is an integer"),
                () -> assertEquals(data.path("heart_rate"), data.path("heart_rate_bpm"), "heart_rate_bpm = heart_rate"),
                () -> assertTrue(data.path("perfusion_index").isNumber(), "perfusion_index is a number"),
                () -> assertTrue(data.path("motion").isBoolean(), "motion is a boolean"),
                () -> assertTrue(data.path("signal_quality").isInt(), "signal_quality is an integer"),
                () -> assertTrue(data.path("rhythm").isTextual(), "rhythm is a string"),
                () -> assertTrue(data.path("rr_interval_ms").isInt(), "rr_interval_ms is an integer"),
                () -> assertTrue(data.path("qt_interval_ms").isInt(), "qt_interval_ms is an integer"),
                () -> assertTrue(data.path("site").isTextual(), "site is a string"));
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}

package com.tesaiot.publish.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * One simulated patient wearing one device, as a stream of the platform's JSON payloads; each call advances
 * simulated time by the interval. Not thread-safe: one stream per publishing thread.
 */
public final class TelemetryStream {

    /** Immutable and thread-safe, so every stream shares it and its serializer cache. */
    private static final ObjectWriter PAYLOAD_WRITER = new ObjectMapper().writerFor(TelemetryPayload.class);

    /** {@code xxx} prints a zero offset as {@code +00:00}, which the platform expects; {@code XXX} would print Z. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String deviceId;
    private final VitalSignsModel model;
    private long stampedSecond = Long.MIN_VALUE;
    private String stamp;

    /**
     * @param interval the time between readings; zero is allowed (bulk publishing) and then means one simulated
     *                 second per reading
     * @throws IllegalArgumentException if the interval is negative
     */
    public TelemetryStream(String deviceId, Scenario scenario, long seed, Duration interval) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, was " + interval);
        }
        this.model = new VitalSignsModel(scenario, seed, simulatedStepSeconds(interval));
    }

    /**
     * {@code --interval 0} publishes as fast as the broker acknowledges, but the patient still needs time to
     * pass between readings: with a zero step every walk would freeze and no scenario would ever start. One
     * second is the finest step a bedside monitor reports at, so that is what each reading stands for then.
     */
    static double simulatedStepSeconds(Duration interval) {
        if (interval.isZero()) {
            return 1.0;
        }
        return interval.getSeconds() + interval.getNano() / 1e9;
    }

    /** The next reading as the platform's JSON payload (UTF-8 bytes), stamped with {@code now}. */
    public byte[] nextPayload(Instant now) {
        TelemetryPayload payload = new TelemetryPayload(deviceId, timestamp(now), model.next());
        try {
            return PAYLOAD_WRITER.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            // Only plain values of known types are written; this would be a programming error.
            throw new UncheckedIOException(e);
        }
    }

    /** UTC at whole seconds; formatted once per second, since bulk runs stamp many payloads with the same one. */
    private String timestamp(Instant now) {
        long second = now.getEpochSecond();
        if (second != stampedSecond) {
            stamp = TIMESTAMP.format(Instant.ofEpochSecond(second));
            stampedSecond = second;
        }
        return stamp;
    }
}

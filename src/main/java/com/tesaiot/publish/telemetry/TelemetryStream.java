package com.tesaiot.publish.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * One simulated patient wearing one device, as a stream of the platform's JSON payloads; each call advances
 * simulated time by the interval. Not thread-safe: one thread at a time per stream.
 */
public final class TelemetryStream {

    /**
     * Jackson's streaming generator, not databind: the payload's shape is fixed, and databind's start-up (some
     * 400 classes, about 90 ms) and per-object introspection cost more than the twenty lines below. Thread-safe.
     */
    private static final JsonFactory JSON = new JsonFactory();

    /** {@code xxx} prints a zero offset as {@code +00:00}, which the platform expects; {@code XXX} would print Z. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** A payload is about 340 bytes: the buffer never grows. */
    private static final int PAYLOAD_SIZE_HINT = 512;

    /**
     * The generator and buffer each thread writes payloads with. Per thread, not per stream: a fleet's devices take
     * turns on a few ticking threads, and a generator per stream kept Jackson's four 8 KiB buffers per device (32 MB
     * for 1 000 devices, seen in a heap dump); a generator per payload cost three allocations and a buffer-recycler
     * round trip per message.
     */
    private static final ThreadLocal<PayloadWriter> WRITER = ThreadLocal.withInitial(PayloadWriter::new);

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
        VitalSigns v = model.next();
        PayloadWriter writer = WRITER.get();
        JsonGenerator json = writer.json;
        try {
            // The platform's field order, as the original wrote it.
            json.writeStartObject();
            json.writeStringField("device_id", deviceId);
            json.writeStringField("timestamp", timestamp(now));
            json.writeObjectFieldStart("data");
            json.writeNumberField("spo2", v.spo2());
            json.writeStringField("spo2_unit", VitalSigns.SPO2_UNIT);
            json.writeNumberField("temperature", v.temperature());
            json.writeStringField("temperature_unit", VitalSigns.TEMPERATURE_UNIT);
            json.writeNumberField("heart_rate", v.heartRate());
            json.writeNumberField("heart_rate_bpm", v.heartRateBpm());
            json.writeNumberField("perfusion_index", v.perfusionIndex());
            json.writeBooleanField("motion", v.motion());
            json.writeNumberField("signal_quality", v.signalQuality());
            json.writeStringField("rhythm", v.rhythm().wireName());
            json.writeNumberField("rr_interval_ms", v.rrIntervalMs());
            json.writeNumberField("qt_interval_ms", v.qtIntervalMs());
            json.writeStringField("site", v.site().wireName());
            json.writeEndObject();
            json.writeEndObject();
            json.flush();
        } catch (IOException e) {
            // Writing plain values to memory cannot fail; this would be a programming error.
            throw new UncheckedIOException(e);
        }
        return writer.take();
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

    /** A generator over a buffer, each payload a root value of its own with no separator between them. */
    private static final class PayloadWriter {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(PAYLOAD_SIZE_HINT);
        private final JsonGenerator json;

        PayloadWriter() {
            try {
                json = JSON.createGenerator(buffer);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a generator over memory opens nothing
            }
            json.setRootValueSeparator(null);
        }

        /** The payload written since the last one. */
        byte[] take() {
            byte[] payload = buffer.toByteArray();
            buffer.reset();
            return payload;
        }
    }
}

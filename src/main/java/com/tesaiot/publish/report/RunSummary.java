package com.tesaiot.publish.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Locale;

/**
 * What a run did, in the words of its closing line or of {@code --output json}. {@code unaccounted} are messages
 * sent whose fate was not known when the run ended: they count as not delivered. {@code interrupted} is set when
 * a signal stopped the run early. {@code elapsed} runs from the moment the connection is up to the last
 * acknowledgement: the rate is the publishing rate, without the JVM's and the handshake's start-up cost.
 */
public record RunSummary(long planned, long sent, long acknowledged, long failed, long unaccounted, long redelivered,
        long reconnects, Duration elapsed, int qos, DeliveryTally.Latency latency, boolean interrupted) {

    public boolean allDelivered() {
        return sent == planned && acknowledged == planned;
    }

    private double seconds() {
        return elapsed.toNanos() / 1e9;
    }

    private double rate() {
        return seconds() > 0 ? sent / seconds() : 0;
    }

    /** One line: every count a user needs to trust the run. */
    public String line() {
        StringBuilder line = new StringBuilder(interrupted ? "Stopped early: sent " : "Sent ")
                .append(sent).append('/').append(planned)
                .append(qos == 0 ? ", written " : ", acknowledged ").append(acknowledged)
                .append(", failed ").append(failed + unaccounted);
        if (redelivered > 0 || reconnects > 0) {
            line.append(", redelivered ").append(redelivered).append(" over ").append(reconnects).append(" reconnect(s)");
        }
        line.append(String.format(Locale.ROOT, " in %.2f s", seconds()));
        if (sent > 0 && seconds() > 0) {
            line.append(String.format(Locale.ROOT, rate() < 10 ? " (%.2f msg/s" : " (%.0f msg/s", rate()));
            if (acknowledged > 0 && qos > 0) {
                line.append(String.format(Locale.ROOT, ", ack latency p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                        latency.p50Nanos() / 1e6, latency.p99Nanos() / 1e6, latency.maxNanos() / 1e6));
            }
            line.append(')');
        }
        if (qos == 0) {
            line.append("; QoS 0: the broker does not acknowledge");
        }
        return line.toString();
    }

    /** Milliseconds to the microsecond: finer would only be noise. */
    private static double millis(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    /**
     * What {@code --output json} prints for a run that failed before it could publish: CI reading it gets an
     * object on every run.
     */
    public static String failureJson(int exitCode, String error) {
        return new ObjectMapper().createObjectNode().put("ok", false).put("exit_code", exitCode).put("error", error)
                .toString();
    }

    /** The same as one JSON object, for CI ({@code --output json}). */
    public String json() {
        ObjectNode node = new ObjectMapper().createObjectNode()
                .put("ok", allDelivered())
                .put("planned", planned)
                .put("sent", sent)
                .put("acknowledged", acknowledged)
                .put("failed", failed + unaccounted)
                .put("redelivered", redelivered)
                .put("reconnects", reconnects)
                .put("interrupted", interrupted)
                .put("qos", qos)
                .put("elapsed_s", Math.round(seconds() * 1000) / 1000.0)
                .put("msg_per_s", Math.round(rate() * 10) / 10.0);
        node.putObject("ack_latency_ms")
                .put("p50", millis(latency.p50Nanos()))
                .put("p99", millis(latency.p99Nanos()))
                .put("max", millis(latency.maxNanos()));
        return node.toString();
    }
}

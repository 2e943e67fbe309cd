package com.tesaiot.publish.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;

/**
 * What a run did, in the words of its closing line and of {@code --output json}, which say the same numbers. The
 * vocabulary: of the {@code planned} readings (the run's count and what the outbox held), {@code sent} went to the
 * connection; of those, {@code acknowledged} were acknowledged (QoS 1 and 2) or, at QoS 0,
 * {@code sentUnacknowledged} were written, which is all QoS 0 promises; {@code failed} are the others sent. The
 * rest were {@code neverSent}: made but never on the connection, or {@code neverMade} at all (the run stopped, or
 * the broker was gone). So acknowledged + sentUnacknowledged + failed + neverSent = planned, on every ending.
 * {@code keptInOutbox} of the unacknowledged stay in the outbox journal for the next run. {@code elapsed} runs
 * from the moment the connection is up to the last acknowledgement: the rate leaves out start-up.
 */
public record RunSummary(long planned, long sent, long acknowledged, long sentUnacknowledged, long failed,
        long neverSent, long neverMade, long keptInOutbox, long redelivered, long reconnects, Duration elapsed, int qos,
        DeliveryTally.Latency latency, boolean interrupted) {

    /**
     * The summary of a run whose fates {@code tally} counted: {@code planned} readings, {@code neverMade} of which
     * were not made, {@code keptInOutbox} left in the journal. {@code writtenInDoubt}: the broker closed the
     * connection right after a QoS 0 PUBLISH, so what was written counts as failed.
     */
    public static RunSummary of(long planned, long neverMade, long keptInOutbox, DeliveryTally tally,
            boolean writtenInDoubt, Duration elapsed, int qos, boolean interrupted) {
        long sent = Math.min(planned, tally.sent());
        long acknowledged = tally.acknowledged();
        long written = writtenInDoubt ? 0 : tally.sentUnacknowledged();
        return new RunSummary(planned, sent, acknowledged, written, Math.max(0, sent - acknowledged - written),
                planned - sent, neverMade, keptInOutbox, tally.redelivered(), tally.reconnects(), elapsed, qos,
                tally.latency(), interrupted);
    }

    /** Every reading sent, and each acknowledged (at QoS 0: written). */
    public boolean allDelivered() {
        return sent == planned && acknowledged + sentUnacknowledged == planned;
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
                .append(qos > 0 ? ", acknowledged " + acknowledged
                        // At QoS 0 the readings an outbox held go first at the QoS they were made with.
                        : acknowledged == 0 ? " at QoS 0 (not acknowledged by design)"
                        : ", acknowledged " + acknowledged + " (the outbox's), " + sentUnacknowledged
                                + " at QoS 0 (not acknowledged by design)")
                .append(", failed ").append(failed);
        if (neverSent > 0) {
            line.append(", never sent ").append(neverSent);
            if (neverMade > 0) {
                line.append(" (").append(neverMade).append(" never made)");
            }
        }
        if (keptInOutbox > 0) {
            line.append(", kept in the outbox ").append(keptInOutbox);
        }
        if (redelivered > 0 || reconnects > 0) {
            line.append(", redelivered ").append(redelivered).append(" over ").append(reconnects).append(" reconnect(s)");
        }
        line.append(" in ").append(Decimals.fixed(seconds(), 2)).append(" s");
        if (sent > 0 && seconds() > 0) {
            line.append(" (").append(Decimals.fixed(rate(), rate() < 10 ? 2 : 0)).append(" msg/s");
            if (acknowledged > 0 && qos > 0) {
                line.append(", ack latency p50 ").append(Decimals.fixed(latency.p50Nanos() / 1e6, 1))
                        .append(" ms, p99 ").append(Decimals.fixed(latency.p99Nanos() / 1e6, 1))
                        .append(" ms, max ").append(Decimals.fixed(latency.maxNanos() / 1e6, 1)).append(" ms");
            }
            line.append(')');
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
        return new ObjectMapper().createObjectNode().put("type", "summary").put("ok", false).put("exit_code", exitCode)
                .put("error", error).toString();
    }

    /** The same as one JSON object, for CI ({@code --output json}). */
    public String json() {
        ObjectNode node = new ObjectMapper().createObjectNode()
                .put("type", "summary")
                .put("ok", allDelivered() && !interrupted)
                .put("planned", planned)
                .put("sent", sent)
                .put("acknowledged", acknowledged)
                .put("sent_unacknowledged", sentUnacknowledged)
                .put("failed", failed)
                .put("never_sent", neverSent)
                .put("never_made", neverMade)
                .put("kept_in_outbox", keptInOutbox)
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

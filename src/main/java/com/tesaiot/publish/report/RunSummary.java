package com.tesaiot.publish.report;

import java.time.Duration;

/**
 * What a run did, in the words of its closing line. {@code unaccounted} are messages sent whose fate was not
 * known when the run ended (no PUBACK and no failure before the wait ran out): they count as not delivered.
 */
public record RunSummary(long planned, long sent, long acknowledged, long failed, long unaccounted,
        Duration elapsed, int qos, long meanLatencyNanos, long maxLatencyNanos) {

    public boolean allDelivered() {
        return sent == planned && acknowledged == planned;
    }

    /** One line: every count a user needs to trust the run. */
    public String line() {
        double seconds = elapsed.toNanos() / 1e9;
        StringBuilder line = new StringBuilder()
                .append("Sent ").append(sent).append('/').append(planned)
                .append(qos == 0 ? ", written " : ", acknowledged ").append(acknowledged)
                .append(", failed ").append(failed + unaccounted)
                .append(String.format(" in %.2f s", seconds));
        if (sent > 0 && seconds > 0) {
            double rate = sent / seconds;
            line.append(String.format(rate < 10 ? " (%.2f msg/s" : " (%.0f msg/s", rate));
            if (acknowledged > 0 && qos > 0) {
                line.append(String.format(", ack latency mean %.1f ms, max %.1f ms",
                        meanLatencyNanos / 1e6, maxLatencyNanos / 1e6));
            }
            line.append(')');
        }
        if (qos == 0) {
            line.append("; QoS 0: the broker does not acknowledge");
        }
        return line.toString();
    }
}

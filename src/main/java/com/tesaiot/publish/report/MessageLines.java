package com.tesaiot.publish.report;

import com.tesaiot.publish.Causes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;

/**
 * One JSON line per message as its fate becomes known ({@code --output jsonl}), for CI to read; each says it is a
 * {@code "type": "message"} line, so a reader can tell them from the closing summary.
 */
public interface MessageLines {
    MessageLines NONE = new MessageLines() {
        @Override
        public void acknowledged(long sequence, long latencyNanos) {
        }

        @Override
        public void failed(long sequence, Throwable cause) {
        }
    };

    void acknowledged(long sequence, long latencyNanos);

    void failed(long sequence, Throwable cause);

    /** A QoS 0 message was written to the connection: sent, never acknowledged by design. */
    default void written(long sequence) {
    }

    /** A message was given up before it ever went to the connection: never sent, as the summary counts it. */
    default void neverSent(long sequence, Throwable cause) {
        failed(sequence, cause);
    }

    /** JSON lines on {@code out}; called from the publisher's threads, so each line is written whole. */
    static MessageLines jsonLines(PrintWriter out) {
        ObjectMapper json = new ObjectMapper();
        return new MessageLines() {
            @Override
            public void acknowledged(long sequence, long latencyNanos) {
                write(line(sequence, "acknowledged").put("ack_latency_ms", Math.round(latencyNanos / 1e3) / 1e3));
            }

            @Override
            public void written(long sequence) {
                write(line(sequence, "sent_unacknowledged"));
            }

            @Override
            public void failed(long sequence, Throwable cause) {
                write(line(sequence, "failed").put("cause", Causes.describe(cause)));
            }

            @Override
            public void neverSent(long sequence, Throwable cause) {
                write(line(sequence, "never_sent").put("cause", Causes.describe(cause)));
            }

            /** A message's line: its type, its sequence as the user counts (from 1), and its fate. */
            private ObjectNode line(long sequence, String status) {
                return json.createObjectNode().put("type", "message").put("sequence", sequence + 1).put("status", status);
            }

            private void write(ObjectNode line) {
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            }
        };
    }
}

package com.tesaiot.publish.report;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How a run shows its progress. On a terminal, one live line (sent, acknowledged, rate, time left) rewritten in
 * place; when piped or logged, plain lines: one per message when they are paced or few, else one per tenth.
 */
public interface Progress {
    /** Beyond this many messages sent back to back, a line per message would drown the log. */
    long PER_MESSAGE_LINES_UP_TO = 100;

    /** Message {@code number} (1-based) of {@code total} is about to be sent. */
    void sending(long number, long total);

    /** The run has sent what it will send: ends a live line, so the summary starts on a line of its own. */
    void finish();

    /**
     * Plain lines; a message made while {@code connectionDown} is said to be queued, not published, so a log of
     * a run whose broker is gone does not read as if the readings went out.
     */
    static Progress plain(ConsoleLog log, boolean paced, long total, BooleanSupplier connectionDown) {
        boolean everyMessage = paced || total <= PER_MESSAGE_LINES_UP_TO;
        long tenth = Math.max(1, total / 10);
        return new Progress() {
            @Override
            public void sending(long number, long total) {
                if (!everyMessage && number % tenth != 0) {
                    return;
                }
                String what = connectionDown.getAsBoolean()
                        ? "Queued sample " + number + "/" + total + " (the connection is down: sent when it is back)"
                        : "Publishing sample " + number + "/" + total;
                log.info(what + (everyMessage ? "" : " (a line per tenth of the run)"));
            }

            @Override
            public void finish() {
            }
        };
    }

    static Progress liveLine(PrintWriter terminal, LongSupplier acknowledged) {
        return new LiveProgressLine(terminal, acknowledged);
    }
}

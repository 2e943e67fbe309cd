package com.tesaiot.publish.report;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/** One status line on a terminal, rewritten at most five times a second. */
final class LiveProgressLine implements Progress {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter terminal;
    private final LongSupplier acknowledged;
    /** Set by the first message, so the rate and time left leave out the connection's set-up. */
    private long startNanos;
    private long lastDrawNanos;
    private boolean drawn;

    LiveProgressLine(PrintWriter terminal, LongSupplier acknowledged) {
        this.terminal = terminal;
        this.acknowledged = acknowledged;
    }

    @Override
    public void sending(long number, long total) {
        long now = System.nanoTime();
        if (number == 1) {
            startNanos = now;
        }
        if (drawn && now - lastDrawNanos < REDRAW_NANOS && number != total) {
            return;
        }
        lastDrawNanos = now;
        drawn = true;
        terminal.print("\r" + line(number, total, acknowledged.getAsLong(), (now - startNanos) / 1e9) + "\u001b[K");
        terminal.flush();
    }

    /** "Sent 340/1000, acknowledged 338, 95 msg/s, about 7 s left". */
    static String line(long sent, long total, long acknowledged, double seconds) {
        double rate = seconds > 0 ? sent / seconds : 0;
        String left = rate > 0 && sent < total ? ", about " + Decimals.fixed((total - sent) / rate, 0) + " s left" : "";
        return "Sent " + sent + "/" + total + ", acknowledged " + acknowledged + ", " + Decimals.fixed(rate, 0) + " msg/s" + left;
    }

    @Override
    public void finish() {
        if (drawn) {
            terminal.println();
            terminal.flush();
        }
    }
}

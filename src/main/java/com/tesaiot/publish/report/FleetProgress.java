package com.tesaiot.publish.report;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A fleet's progress, shown every so often: on a terminal one line rewritten in place, otherwise a plain log
 * line. "Connected 180/200 (3 refused), 412 msg/s, sent 8300, acknowledged 8200, given up 0". Given up counts the
 * readings whose delivery timeout passed, sent or not: the closing summary splits them into failed (sent) and never
 * sent, and counts the readings still in flight at the end as failed too.
 */
public final class FleetProgress {
    /** The fleet's counts at one moment. */
    public record Snapshot(long devices, long connected, long refused, long sent, long acknowledged, long givenUp) {
    }

    private final PrintWriter terminal;
    private final ConsoleLog log;
    private long lastSent;
    private long lastNanos = System.nanoTime();
    private boolean drawn;

    private FleetProgress(PrintWriter terminal, ConsoleLog log) {
        this.terminal = terminal;
        this.log = log;
    }

    public static FleetProgress liveLine(PrintWriter terminal) {
        return new FleetProgress(terminal, null);
    }

    public static FleetProgress plain(ConsoleLog log) {
        return new FleetProgress(null, log);
    }

    /** Whether this progress is the live line: it is then shown more often. */
    public boolean live() {
        return terminal != null;
    }

    public synchronized void show(Snapshot s) {
        long now = System.nanoTime();
        double seconds = (now - lastNanos) / 1e9;
        double rate = seconds > 0 ? (s.sent() - lastSent) / seconds : 0;
        lastSent = s.sent();
        lastNanos = now;
        String line = line(s, rate);
        if (terminal != null) {
            terminal.print("\r" + line + "\u001b[K");
            terminal.flush();
            drawn = true;
        } else {
            log.info(line);
            log.flush();
        }
    }

    static String line(Snapshot s, double rate) {
        return String.format(Locale.ROOT, "Connected %d/%d%s, %.0f msg/s, sent %d, acknowledged %d, given up %d",
                s.connected(), s.devices(), s.refused() > 0 ? " (" + s.refused() + " refused)" : "", rate, s.sent(),
                s.acknowledged(), s.givenUp());
    }

    /** Ends a live line, so the summary starts on a line of its own. */
    public synchronized void finish() {
        if (drawn) {
            terminal.println();
            terminal.flush();
        }
    }
}

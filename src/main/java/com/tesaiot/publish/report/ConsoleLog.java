package com.tesaiot.publish.report;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * The human-readable lines of a run, on standard error so that standard output stays clean for payloads:
 * {@code [2026-11-24T10:30:45Z] Publishing sample 3/10}, as the original script printed them.
 */
public final class ConsoleLog {
    private final PrintWriter err;
    private final Clock clock;

    public ConsoleLog(PrintWriter err, Clock clock) {
        this.err = err;
        this.clock = clock;
    }

    public void info(String message) {
        err.println(stamp() + message);
    }

    /** A warning, stamped like every other line of the run. */
    public void warn(String message) {
        err.println(stamp() + "warning: " + message);
    }

    private String stamp() {
        return "[" + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "] ";
    }

    public void flush() {
        err.flush();
    }
}

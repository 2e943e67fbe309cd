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
        err.println("[" + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }

    public void warn(String message) {
        err.println("warning: " + message);
    }


    public void flush() {
        err.flush();
    }
}

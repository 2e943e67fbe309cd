package com.tesaiot.publish.mqtt;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that decides where Paho's own log lines go. Paho logs through java.util.logging, whose default
 * console handler would put lines such as "SEVERE: ... Timed out as no activity" on the user's terminal: they
 * are the tool's to explain, so they are shown only with --verbose.
 */
public final class PahoLogging {
    /** Held for the life of the JVM: java.util.logging keeps loggers weakly, and would forget the level. */
    private static final Logger PAHO = Logger.getLogger("org.eclipse.paho");

    private PahoLogging() {
    }

    /** Paho's lines reach standard error only when {@code verbose}. */
    public static void show(boolean verbose) {
        PAHO.setLevel(verbose ? Level.INFO : Level.OFF);
    }
}

package com.tesaiot.publish.mqtt;

import org.eclipse.paho.client.mqttv3.logging.JSR47Logger;
import org.eclipse.paho.client.mqttv3.logging.Logger;
import org.eclipse.paho.client.mqttv3.logging.LoggerFactory;

import java.util.ResourceBundle;

/**
 * The one place that decides where Paho's own log lines go, installed as Paho's logger. Paho's default logger goes
 * through java.util.logging, whose console handler would put lines such as "SEVERE: ... Timed out as no activity"
 * on the user's terminal: they are the tool's to explain, so they are shown only with --verbose (then through
 * Paho's own java.util.logging logger, as before).
 *
 * <p>Paho makes a logger for every token, that is for every message, and its default one looks up a
 * java.util.logging logger each time; this one does nothing unless --verbose was given, so a run without it never
 * loads java.util.logging, and the just-in-time compiler can drop the argument arrays Paho builds for lines that
 * are not logged.
 */
public final class PahoLogging implements Logger {
    private static volatile boolean verbose;

    /** Paho's own logger, to which lines go with --verbose; null (say nothing) otherwise. */
    private Logger lines;

    /** Paho creates its loggers by class name ({@link LoggerFactory#setLogger}): public, with no arguments. */
    public PahoLogging() {
    }

    /** Makes this Paho's logger; its lines reach standard error only when {@code verbose}. */
    public static void show(boolean verbose) {
        PahoLogging.verbose = verbose;
        LoggerFactory.setLogger(PahoLogging.class.getName());
    }

    @Override
    public void initialise(ResourceBundle messageCatalog, String loggerId, String resourceName) {
        if (verbose) {
            lines = new JSR47Logger();
            lines.initialise(messageCatalog, loggerId, resourceName);
        }
    }

    @Override
    public void setResourceName(String logContext) {
        if (lines != null) {
            lines.setResourceName(logContext);
        }
    }

    @Override
    public boolean isLoggable(int level) {
        return lines != null && lines.isLoggable(level);
    }

    @Override
    public void log(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        if (lines != null) {
            lines.log(level, sourceClass, sourceMethod, msg, inserts, thrown);
        }
    }

    @Override
    public void trace(int level, String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        if (lines != null) {
            lines.trace(level, sourceClass, sourceMethod, msg, inserts, ex);
        }
    }

    @Override
    public String formatMessage(String msg, Object[] inserts) {
        return lines != null ? lines.formatMessage(msg, inserts) : msg;
    }

    @Override
    public void dumpTrace() {
        if (lines != null) {
            lines.dumpTrace();
        }
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg) {
        log(SEVERE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void severe(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(SEVERE, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg) {
        log(WARNING, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void warning(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(WARNING, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg) {
        log(INFO, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void info(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(INFO, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg) {
        log(CONFIG, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        log(CONFIG, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void config(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable thrown) {
        log(CONFIG, sourceClass, sourceMethod, msg, inserts, thrown);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg) {
        trace(FINE, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        trace(FINE, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void fine(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        trace(FINE, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg) {
        trace(FINER, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        trace(FINER, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void finer(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        trace(FINER, sourceClass, sourceMethod, msg, inserts, ex);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg) {
        trace(FINEST, sourceClass, sourceMethod, msg, null, null);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts) {
        trace(FINEST, sourceClass, sourceMethod, msg, inserts, null);
    }

    @Override
    public void finest(String sourceClass, String sourceMethod, String msg, Object[] inserts, Throwable ex) {
        trace(FINEST, sourceClass, sourceMethod, msg, inserts, ex);
    }
}

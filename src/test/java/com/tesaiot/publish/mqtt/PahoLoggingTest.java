package com.tesaiot.publish.mqtt;

import org.eclipse.paho.client.mqttv3.logging.Logger;
import org.eclipse.paho.client.mqttv3.logging.LoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PahoLoggingTest {
    /** The class Paho's "Timed out as no activity" line comes from. */
    private static final String CLIENT_STATE = "org.eclipse.paho.client.mqttv3.internal.ClientState";

    @AfterEach
    void quietAgain() {
        PahoLogging.show(false);
    }

    /** The logger Paho makes for a token or a client, as its classes ask for one. */
    private static Logger pahosLogger() {
        return LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, CLIENT_STATE);
    }

    @Test
    void pahoLogsThroughOurLogger() {
        PahoLogging.show(false);

        assertInstanceOf(PahoLogging.class, pahosLogger());
    }

    @Test
    void pahosSevereLinesStayOffTheTerminalUnlessVerbose() {
        List<LogRecord> written = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                written.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger paho = java.util.logging.Logger.getLogger(CLIENT_STATE);
        paho.addHandler(capture);
        paho.setUseParentHandlers(false); // not on the test run's console
        try {
            PahoLogging.show(false);
            Logger quiet = pahosLogger();
            quiet.severe(CLIENT_STATE, "checkForActivity", "619", new Object[] {60_000L});
            assertFalse(quiet.isLoggable(Logger.SEVERE));
            assertTrue(written.isEmpty(), "a line without --verbose");

            PahoLogging.show(true);
            Logger verbose = pahosLogger();
            verbose.severe(CLIENT_STATE, "checkForActivity", "619", new Object[] {60_000L});
            assertTrue(verbose.isLoggable(Logger.SEVERE));
            assertEquals(1, written.size(), "Paho's line with --verbose");
        } finally {
            paho.removeHandler(capture);
            paho.setUseParentHandlers(true);
        }
    }
}

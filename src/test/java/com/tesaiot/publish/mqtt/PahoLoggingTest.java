package com.tesaiot.publish.mqtt;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PahoLoggingTest {
    /** The logger Paho's ClientState writes "Timed out as no activity" to. */
    private final Logger clientState = Logger.getLogger("org.eclipse.paho.client.mqttv3.internal.ClientState");

    @AfterEach
    void quietAgain() {
        PahoLogging.show(false);
    }

    @Test
    void pahosSevereLinesStayOffTheTerminalUnlessVerbose() {
        PahoLogging.show(false);
        assertFalse(clientState.isLoggable(Level.SEVERE));

        PahoLogging.show(true);
        assertTrue(clientState.isLoggable(Level.SEVERE));
    }
}

package com.tesaiot.publish;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words a cause chain (a lost connection, a failed delivery) for a one-line message. Shared by the code that
 * explains failures and by the report that prints them, so both say the same thing.
 */
public final class Causes {
    private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");

    private Causes() {
    }

    /** A short description of a cause chain for a one-line message: its innermost useful message. */
    public static String describe(Throwable t) {
        String alert = alert(t);
        if (alert != null) {
            return "TLS alert " + alert;
        }
        return rootMessage(t);
    }

    /** The TLS alert named anywhere in the chain (e.g. {@code bad_certificate}), or null. */
    public static String alert(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            Matcher m = ALERT.matcher(String.valueOf(c.getMessage()));
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** The innermost non-blank message of the chain, on one line. */
    public static String rootMessage(Throwable t) {
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
        }
        return message == null ? t.getClass().getSimpleName() : message.replaceAll("\\s+", " ").strip();
    }
}

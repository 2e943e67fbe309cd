package com.tesaiot.publish.cli;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.app.FailureStatement;
import picocli.CommandLine.IExitCodeExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where a failure becomes an exit code and gets its hint naming the flag or environment
 * variable that fixes it. The codes are the README's table; help prints them from here.
 */
final class ExitCodes implements IExitCodeExceptionMapper, FailureStatement {
    static final int SUCCESS = 0;
    static final int NOT_DELIVERED = 1;
    /** picocli's own usage code is 2 as well. */
    static final int USAGE = 2;
    static final int BUNDLE = 3;
    static final int REFUSED = 4;
    static final int UNREACHABLE = 5;
    /** Another client with the same client id keeps taking the session over: stop it, or use another device id. */
    static final int SESSION_TAKEN_OVER = 6;
    /** EX_SOFTWARE: a bug of ours, not a problem the user can fix. */
    static final int SOFTWARE = 70;
    /** EX_IOERR: a local file or directory (the outbox, an output folder) could not be read or written. */
    static final int LOCAL_IO = 74;
    /** Ctrl-C (SIGINT): 128 + 2, as shells report it. The JVM itself exits 143 on SIGTERM. */
    static final int INTERRUPTED = 130;

    static final ExitCodes INSTANCE = new ExitCodes();

    private ExitCodes() {
    }

    static int of(Failure.Kind kind) {
        return switch (kind) {
            case USAGE -> USAGE;
            case BUNDLE -> BUNDLE;
            case REFUSED -> REFUSED;
            case UNREACHABLE -> UNREACHABLE;
            case NOT_DELIVERED -> NOT_DELIVERED;
            case LOCAL_IO -> LOCAL_IO;
            case SESSION_TAKEN_OVER -> SESSION_TAKEN_OVER;
        };
    }

    @Override
    public int getExitCode(Throwable exception) {
        if (exception instanceof Failure f) {
            return of(f.kind());
        }
        return exception instanceof InterruptedException ? NOT_DELIVERED : SOFTWARE;
    }

    @Override
    public int exitCode(Failure failure) {
        return of(failure.kind());
    }

    /**
     * A fleet device's refusal: the failure, with the one fix a fleet can be given on its command line (the other
     * inputs are each bundle's own files).
     */
    static String fleetLine(Failure failure) {
        return failure.getMessage() + (failure.input().filter(i -> i == Failure.Input.KEY_PASSWORD).isPresent()
                ? ": give the keys' password with KEY_PASSWORD (or --key-password)" : "");
    }

    /** The failure's message with how to give another value of the input it concerns. */
    @Override
    public String line(Failure failure) {
        return failure.getMessage() + failure.input().map(ExitCodes::hint).orElse("");
    }

    private static String hint(Failure.Input input) {
        return switch (input) {
            case CERTS_DIR -> " (give --certs-dir or CERTS_DIR: the bundle's folder, or the .zip downloaded from the"
                    + " platform)";
            case CERTS_DIR_ABSENT -> " (give --certs-dir or CERTS_DIR: the bundle's folder, or the .zip downloaded"
                    + " from the platform; to try the tool first, 'bundle create' makes a bundle and a local broker's"
                    + " configuration)";
            case DEVICE_ID -> " (give --device-id or DEVICE_ID, or set DEVICE_FILE)";
            case CLIENT_CERT -> " (set --client-cert or CLIENT_CERT to use another file)";
            case CLIENT_KEY -> " (set --client-key or CLIENT_KEY to use another file)";
            case CA_FILE -> " (set --ca-file or CA_FILE to use another file)";
            case KEY_PASSWORD -> ": give its password with KEY_PASSWORD (or --key-password)";
            case BROKER_HOST -> ": check --broker-host, MQTT_HOST or endpoints.json, and DNS";
            case TLS_VERSION -> ": try --tls-version tlsv1.3 or tlsv1.2, whichever the broker allows";
            case PASSWORD -> " (or give MQTT_PASSWORD)";
        };
    }

    /** The exit codes of a publish run, as the lines of its help's footer. */
    static String[] ofPublishing() {
        return lines(publishing());
    }

    /** The same, code by code: the man page's EXIT STATUS section. */
    static Map<String, String> publishing() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(code(SUCCESS), "every message acknowledged (or dry run done)");
        codes.put(code(NOT_DELIVERED), "some message not acknowledged, or the connection was lost");
        common(codes);
        codes.put(code(LOCAL_IO), "a local file (the outbox) or standard output could not be read or written");
        codes.put(INTERRUPTED + "/143", "stopped by Ctrl-C / SIGTERM, after the summary");
        codes.put(code(SOFTWARE), "a bug of ours: please report it with the --verbose output");
        return codes;
    }

    /** The exit codes of {@code check}, as the lines of its help's footer. */
    static String[] ofChecking() {
        return lines(checking());
    }

    /** The same, code by code: the man page's EXIT STATUS section. */
    static Map<String, String> checking() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(code(SUCCESS), "every step passed");
        codes.put(code(NOT_DELIVERED), "--publish-test: the message was not acknowledged");
        common(codes);
        return codes;
    }

    /** The exit codes of {@code fleet}, as the lines of its help's footer. */
    static String[] ofFleet() {
        return lines(fleet());
    }

    /** The same, code by code: the man page's EXIT STATUS section. */
    static Map<String, String> fleet() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(code(SUCCESS), "every device connected and every message acknowledged");
        codes.put(code(NOT_DELIVERED), "some device refused or some message not acknowledged (the summary says which)");
        codes.put(code(USAGE), "usage error: a bad flag or value, no bundle in the directory, a report that is not one");
        codes.put(code(BUNDLE), "no usable bundle, or two bundles with the same device id");
        codes.put(INTERRUPTED + "/143", "stopped by Ctrl-C / SIGTERM, after the summary");
        return codes;
    }

    private static void common(Map<String, String> codes) {
        codes.put(code(USAGE), "usage error: a bad flag or value");
        codes.put(code(BUNDLE), "credential bundle problem: a missing, unreadable or invalid file");
        codes.put(code(REFUSED), "TLS or authentication refused");
        codes.put(code(UNREACHABLE), "broker unreachable");
        codes.put(code(SESSION_TAKEN_OVER), "another client with the same device id took the session over, again and again");
    }

    private static String[] lines(Map<String, String> codes) {
        return codes.entrySet().stream().map(e -> "  " + e.getKey() + "  " + e.getValue()).toArray(String[]::new);
    }

    private static String code(int code) {
        return Integer.toString(code);
    }
}

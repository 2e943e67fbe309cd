package com.tesaiot.publish;

import java.util.Optional;

/**
 * A failure the user can act on. Its message is the one line the user sees: it names the file or endpoint and
 * the cause. It never contains key material or passwords. It says what kind of failure it is and, when another
 * value of one input would fix it, which input; the front end (the command line) turns the kind into an exit
 * code and the input into "give --client-key or CLIENT_KEY", so nothing below it names a flag or an exit code.
 */
public class Failure extends Exception {

    /** What went wrong, as the user tells failures apart. */
    public enum Kind {
        /** A value the user gave cannot be used (a topic, an address). */
        USAGE,
        /** The credential bundle is missing, unreadable or invalid. */
        BUNDLE,
        /** The TLS handshake or the broker's authentication refused us. */
        REFUSED,
        /** The broker could not be reached at all. */
        UNREACHABLE,
        /** Some message was not acknowledged. */
        NOT_DELIVERED,
        /**
         * Another client with our client id keeps taking the session over: the broker closes our connection soon
         * after accepting it, again and again. Reconnecting cannot fix that; stopping the other client can.
         */
        SESSION_TAKEN_OVER,
        /**
         * A local file or directory of ours (the outbox, an output folder) could not be read or written, or did not
         * answer within a bound (a frozen file system).
         */
        LOCAL_IO
    }

    /** The input whose other value would fix the failure: the front end says how to give one. */
    public enum Input {
        CERTS_DIR,
        /** The bundle itself, which is not where it was looked for: maybe the user has none yet. */
        CERTS_DIR_ABSENT,
        DEVICE_ID, CLIENT_CERT, CLIENT_KEY, CA_FILE, KEY_PASSWORD, BROKER_HOST, TLS_VERSION, PASSWORD
    }

    private final Kind kind;
    private final Input input;

    public Failure(Kind kind, String message) {
        this(kind, null, message, null);
    }

    public Failure(Kind kind, String message, Throwable cause) {
        this(kind, null, message, cause);
    }

    public Failure(Kind kind, Input input, String message) {
        this(kind, input, message, null);
    }

    public Failure(Kind kind, Input input, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.input = input;
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Input> input() {
        return Optional.ofNullable(input);
    }

    /** The same failure with more words after its message (a fact found after it was thrown). */
    public Failure withDetail(String detail) {
        return new Failure(kind, input, getMessage() + detail, getCause());
    }
}

package com.tesaiot.publish;

/**
 * A failure the user can act on. Its message is the one line the user sees: it names the file or endpoint,
 * the cause and, where there is one, the fix. It never contains key material or passwords.
 */
public class Failure extends Exception {
    private final ExitStatus status;

    public Failure(ExitStatus status, String message) {
        super(message);
        this.status = status;
    }

    public Failure(ExitStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public ExitStatus status() {
        return status;
    }
}

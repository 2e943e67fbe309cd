package com.tesaiot.publish.app;

import com.tesaiot.publish.Failure;

/**
 * How the front end states a failure: the line the user reads (with the front end's own hint, such as the flag
 * that gives another file) and the exit code. {@code check} reports both inside its checklist.
 */
public interface FailureStatement {
    String line(Failure failure);

    int exitCode(Failure failure);
}

package com.tesaiot.publish.app;

import com.tesaiot.publish.Causes;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.Endpoint;


/** The one wording of "these messages were not acknowledged", for a device run, a fleet's device and {@code check}. */
final class Undelivered {
    private Undelivered() {
    }

    /**
     * @param count messages not acknowledged (nor, at QoS 0, written)
     * @param more  what else the line must say in the summary's words (how many were never sent, how many stay in
     *              the outbox), or empty
     */
    static Failure failure(long count, Endpoint endpoint, Throwable cause, String more) {
        return new Failure(Failure.Kind.NOT_DELIVERED, count + " message(s) not acknowledged by " + endpoint
                + (cause == null ? "" : ": " + Causes.describe(cause)) + more, cause);
    }
}

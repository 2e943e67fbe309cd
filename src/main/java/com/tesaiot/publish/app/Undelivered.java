package com.tesaiot.publish.app;

import com.tesaiot.publish.Causes;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.Endpoint;

import java.time.Duration;
import java.util.Optional;

/** The one wording of "these messages were not acknowledged", for a device run, a fleet's device and {@code check}. */
final class Undelivered {
    private Undelivered() {
    }

    /**
     * @param within   how long the run waited, when it stopped waiting before the delivery timeout settled them
     * @param inOutbox whether the messages stay in an outbox journal for the next run
     * @param more     anything else the line must say (readings never made), or empty
     */
    static Failure failure(long count, Endpoint endpoint, Throwable cause, Optional<Duration> within, boolean inOutbox,
            String more) {
        return new Failure(Failure.Kind.NOT_DELIVERED, count + " message(s) not acknowledged by " + endpoint
                + within.map(w -> " within " + w.toSeconds() + " s").orElse("")
                + (cause == null ? "" : ": " + Causes.describe(cause))
                + (inOutbox ? "; they stay in the outbox for the next run" : "") + more, cause);
    }
}

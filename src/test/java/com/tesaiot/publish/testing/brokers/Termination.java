package com.tesaiot.publish.testing.brokers;

import java.util.concurrent.TimeUnit;

/** How the test brokers and clients started as processes end: SIGTERM, and SIGKILL if that took over 5 s. */
final class Termination {
    private Termination() {
    }

    static void terminate(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

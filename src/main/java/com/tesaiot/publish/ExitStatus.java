package com.tesaiot.publish;

/** The process exit codes the README documents: one per kind of failure, so scripts can tell them apart. */
public enum ExitStatus {
    SUCCESS(0),
    /** Some message was not acknowledged, or the connection was lost mid-run. */
    NOT_DELIVERED(1),
    /** A bad flag or value: picocli's own usage code is 2 as well. */
    USAGE(2),
    /** The credential bundle is missing, unreadable or invalid. */
    BAD_BUNDLE(3),
    /** The TLS handshake or the broker's authentication refused us. */
    REFUSED(4),
    /** The broker could not be reached at all. */
    UNREACHABLE(5),
    /** Stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it. The JVM itself exits 143 on SIGTERM. */
    INTERRUPTED(130);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}

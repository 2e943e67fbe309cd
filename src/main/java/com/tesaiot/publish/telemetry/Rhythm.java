package com.tesaiot.publish.telemetry;

/** The cardiac rhythm a reading reports, in the platform's (and the original generator's) vocabulary. */
enum Rhythm {
    SINUS("sinus"),
    AFIB("afib"),
    SVT("svt"),
    /** Part of the platform's vocabulary; no scenario produces it yet. */
    VT("vt"),
    /** Reported instead of the true rhythm when the signal is too poor to classify. */
    UNKNOWN("unknown");

    private final String wireName;

    Rhythm(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }
}

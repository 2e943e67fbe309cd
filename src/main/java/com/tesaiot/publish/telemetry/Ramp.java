package com.tesaiot.publish.telemetry;

/**
 * How far a scenario has pushed the patient at a moment of simulated time: 0 before onset, 1 when fully there.
 *
 * @param onsetSeconds simulated seconds after the first reading at which the change starts
 * @param lengthSeconds the time constant of an exponential approach, or the duration of a linear one
 */
record Ramp(double onsetSeconds, double lengthSeconds, Shape shape) {

    enum Shape { SUDDEN, EXPONENTIAL, LINEAR }

    static final Ramp NEVER = new Ramp(Double.POSITIVE_INFINITY, 0, Shape.SUDDEN);

    static Ramp sudden(double onsetSeconds) {
        return new Ramp(onsetSeconds, 0, Shape.SUDDEN);
    }

    static Ramp exponential(double onsetSeconds, double timeConstantSeconds) {
        return new Ramp(onsetSeconds, timeConstantSeconds, Shape.EXPONENTIAL);
    }

    static Ramp linear(double onsetSeconds, double durationSeconds) {
        return new Ramp(onsetSeconds, durationSeconds, Shape.LINEAR);
    }

    boolean hasStarted(double t) {
        return t >= onsetSeconds;
    }

    double progress(double t) {
        if (!hasStarted(t)) {
            return 0;
        }
        double elapsed = t - onsetSeconds;
        return switch (shape) {
            case SUDDEN -> 1;
            case EXPONENTIAL -> 1 - StrictMath.exp(-elapsed / lengthSeconds);
            case LINEAR -> Math.min(1, elapsed / lengthSeconds);
        };
    }
}

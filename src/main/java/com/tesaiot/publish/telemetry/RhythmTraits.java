package com.tesaiot.publish.telemetry;

/**
 * How a rhythm shapes the rate and beat numbers.
 *
 * @param rateVariability standard deviation of the slow rate wander, relative to the mean rate
 * @param rateJitter standard deviation of the reading-to-reading rate scatter, relative (irregular rhythms only)
 * @param rrVariability standard deviation of the logarithm of one RR interval around 60 000 / rate
 * @param lowestRate the rate never goes below this in this rhythm (bpm)
 * @param highestRate the rate never goes above this in this rhythm (bpm)
 */
record RhythmTraits(Rhythm rhythm, double rateVariability, double rateJitter, double rrVariability,
                    double lowestRate, double highestRate) {

    /** Respiratory sinus arrhythmia gives a few per cent of beat-to-beat variation. */
    static final RhythmTraits SINUS = new RhythmTraits(Rhythm.SINUS, 0.04, 0, 0.025, 30, 200);

    /** Irregularly irregular: RR varies by a sixth or so from beat to beat, the ventricular rate jumps about. */
    static final RhythmTraits ATRIAL_FIBRILLATION = new RhythmTraits(Rhythm.AFIB, 0.05, 0.03, 0.16, 110, 150);

    /** A re-entrant circuit: fast and almost metronomic. */
    static final RhythmTraits SUPRAVENTRICULAR_TACHYCARDIA =
            new RhythmTraits(Rhythm.SVT, 0.015, 0, 0.005, 150, 220);
}

package com.tesaiot.publish.telemetry;

import java.util.Random;

/**
 * The wearer's motion over simulated time: a renewal process of rest and motion episodes.
 *
 * <p>Episodes live in simulated time, not in readings, so the interval only decides how often they are sampled.
 */
final class MotionEpisodes {

    private final MotionProfile profile;
    private final Random random;
    private double episodeStart;
    private double episodeEnd;
    private double intensity;

    MotionEpisodes(MotionProfile profile, Random random) {
        this.profile = profile;
        this.random = random;
        if (profile.hasScheduledFirstEpisode()) {
            episodeStart = profile.firstEpisodeAtSeconds();
            episodeEnd = episodeStart + profile.firstEpisodeSeconds();
            intensity = 1;
        } else {
            scheduleAfter(0);
        }
    }

    /** Motion intensity at {@code t}: 0 at rest, otherwise in (0, 1]. Call with non-decreasing {@code t}. */
    double intensityAt(double t) {
        while (t >= episodeEnd) {
            scheduleAfter(episodeEnd);
        }
        return t >= episodeStart ? intensity : 0;
    }

    private void scheduleAfter(double t) {
        episodeStart = t + exponential(profile.meanRestSeconds());
        episodeEnd = episodeStart + exponential(profile.meanEpisodeSeconds());
        intensity = profile.weakestIntensity() + (1 - profile.weakestIntensity()) * random.nextDouble();
    }

    private double exponential(double mean) {
        return -mean * StrictMath.log(1 - random.nextDouble());
    }
}

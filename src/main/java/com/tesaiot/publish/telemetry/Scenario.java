package com.tesaiot.publish.telemetry;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A clinical story the simulated patient follows, chosen with {@code --scenario}.
 *
 * <p>Times are simulated time since the first reading, so every scenario reaches its threshold within a run of
 * {@code --period 10 --interval 5} (120 readings), whatever the interval.
 */
public enum Scenario {

    NORMAL("normal",
            "healthy adult at rest, sinus rhythm, occasional brief motion; stays within 50-100 bpm,"
                    + " SpO2 >= 90 % and below 38 °C",
            ScenarioCourse.STEADY),

    FEVER("fever",
            "from minute 1 core temperature climbs toward 39.4 °C (time constant 5 min), reading above 38 °C"
                    + " at any site within 10 min; heart rate rises 20 bpm with it",
            ScenarioCourse.from(Ramp.exponential(60, 300))
                    .coreTemperatureTo(baseline -> 39.4)
                    .heartRateTo(baseline -> baseline + 20)),

    TACHYCARDIA("tachycardia",
            "from minute 1 sinus rate climbs toward 128 bpm (time constant 90 s), above 100 bpm within 5 min",
            ScenarioCourse.from(Ramp.exponential(60, 90))
                    .heartRateTo(baseline -> 128)),

    BRADYCARDIA("bradycardia",
            "from minute 1 sinus rate falls toward 40 bpm (time constant 90 s), below 50 bpm within 6 min",
            ScenarioCourse.from(Ramp.exponential(60, 90))
                    .heartRateTo(baseline -> 40)),

    DESATURATION("desaturation",
            "from minute 1 SpO2 falls toward 84 % (time constant 2 min), below 90 % within 6 min;"
                    + " heart rate rises 10 bpm, perfusion falls",
            ScenarioCourse.from(Ramp.exponential(60, 120))
                    .spo2To(baseline -> 84)
                    .heartRateTo(baseline -> baseline + 10)
                    .perfusionTimes(0.75)),

    AFIB("afib",
            "at minute 2 atrial fibrillation starts suddenly: rhythm afib, 110-150 bpm (around 130),"
                    + " irregular RR intervals (about 16 % beat to beat)",
            ScenarioCourse.from(Ramp.sudden(120))
                    .rhythmBecomes(RhythmTraits.ATRIAL_FIBRILLATION)
                    .heartRateTo(baseline -> 130)
                    .perfusionTimes(0.8)),

    SVT("svt",
            "at minute 2 supraventricular tachycardia starts suddenly: rhythm svt, regular 150-220 bpm"
                    + " (around 185), perfusion falls",
            ScenarioCourse.from(Ramp.sudden(120))
                    .rhythmBecomes(RhythmTraits.SUPRAVENTRICULAR_TACHYCARDIA)
                    .heartRateTo(baseline -> 185)
                    .spo2To(baseline -> baseline - 1)
                    .perfusionTimes(0.6)),

    MOTION_ARTIFACT("motion-artifact",
            "from minute 1 frequent motion episodes (about 1 min each, 1.5 min apart): signal quality below 50,"
                    + " rhythm unknown, SpO2 and perfusion unreliable while moving",
            ScenarioCourse.STEADY
                    .moving(MotionProfile.ARTIFACT)),

    DETERIORATING("deteriorating",
            "from minute 1, steadily over 8 min: core temperature toward 39.2 °C, heart rate toward 118 bpm,"
                    + " SpO2 toward 85 %, perfusion halves; past 38 °C, 100 bpm and 90 % by minute 10",
            ScenarioCourse.from(Ramp.linear(60, 480))
                    .coreTemperatureTo(baseline -> 39.2)
                    .heartRateTo(baseline -> 118)
                    .spo2To(baseline -> 85)
                    .perfusionTimes(0.5)
                    .signalQualityLoses(6));

    private final String cliName;
    private final String description;
    private final ScenarioCourse course;

    Scenario(String cliName, String description, ScenarioCourse course) {
        this.cliName = cliName;
        this.description = description;
        this.course = course;
    }

    /** The name {@code --scenario} accepts, e.g. {@code motion-artifact}. */
    public String cliName() {
        return cliName;
    }

    /** One line with the scenario's thresholds and timing, for {@code --list-scenarios}. */
    public String description() {
        return description;
    }

    ScenarioCourse course() {
        return course;
    }

    /**
     * The scenario {@code --scenario name} means; case is ignored.
     *
     * @throws IllegalArgumentException naming the valid names when there is no such scenario
     */
    public static Scenario fromCliName(String name) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Scenario scenario : values()) {
                if (scenario.cliName.equals(wanted)) {
                    return scenario;
                }
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; valid scenarios: "
                + Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining(", ")));
    }
}

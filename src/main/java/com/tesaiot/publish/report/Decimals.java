package com.tesaiot.publish.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A number with a fixed count of decimals, rounded half up, as {@code String.format("%.2f")} writes it: without
 * {@link java.util.Formatter}, whose first use loads the JDK's locale data (10-30 ms of a one-reading run, at its
 * end, when the summary line is written).
 */
final class Decimals {
    private Decimals() {
    }

    /** {@code value} with {@code places} decimals: 0.0123 with 2 is "0.01", 81.5 with 0 is "82". */
    static String fixed(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).toPlainString();
    }
}

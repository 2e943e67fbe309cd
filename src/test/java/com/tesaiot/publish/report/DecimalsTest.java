package com.tesaiot.publish.report;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The summary's numbers read exactly as printf's would: same digits, same half-up rounding. */
class DecimalsTest {
    @ParameterizedTest
    @ValueSource(doubles = {0, 0.004, 0.005, 0.015, 0.125, 0.995, 1.0 / 3, 2.345, 9.995, 81.5, 99.99, 12345.678, 1e7, 3.2e-7})
    void writesWhatPrintfWrites(double value) {
        for (int places = 0; places <= 2; places++) {
            assertEquals(String.format(Locale.ROOT, "%." + places + "f", value), Decimals.fixed(value, places),
                    value + " with " + places + " decimal(s)");
        }
    }
}

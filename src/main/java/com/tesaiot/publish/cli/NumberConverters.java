package com.tesaiot.publish.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;

/** Number parsing with messages a user understands, instead of picocli's "cannot convert to BigDecimal". */
final class NumberConverters {
    private NumberConverters() {
    }

    static final class Decimal implements ITypeConverter<BigDecimal> {
        @Override
        public BigDecimal convert(String value) {
            try {
                return new BigDecimal(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number");
            }
        }
    }

    static final class WholeNumber implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.valueOf(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number (or is too large)");
            }
        }
    }

    static final class Int implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return Integer.valueOf(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number (or is too large)");
            }
        }
    }
}

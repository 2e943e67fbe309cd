package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.OutputFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * {@code --output}, named in lower case as the user types it, in the value and in the error alike; the same names
 * are what shell completion offers.
 */
final class OutputFormatConverter implements ITypeConverter<OutputFormat>, Iterable<String> {
    @Override
    public OutputFormat convert(String value) {
        for (OutputFormat format : OutputFormat.values()) {
            if (format.name().equalsIgnoreCase(value.strip())) {
                return format;
            }
        }
        throw new TypeConversionException("expected one of " + String.join(", ", this) + ", not '" + value + "'");
    }

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(OutputFormat.values()).map(f -> f.name().toLowerCase(Locale.ROOT)).iterator();
    }
}

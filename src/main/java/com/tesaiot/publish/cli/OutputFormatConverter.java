package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.OutputFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code --output}, named in lower case as the user types it, in the value and in the error alike. */
final class OutputFormatConverter implements ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
        for (OutputFormat format : OutputFormat.values()) {
            if (format.name().equalsIgnoreCase(value.strip())) {
                return format;
            }
        }
        throw new TypeConversionException("expected one of " + Arrays.stream(OutputFormat.values())
                .map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ", not '" + value + "'");
    }
}

package com.tesaiot.publish.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** A yes/no value as shell scripts write it: DRY_RUN=1 was how the original script was told to dry-run. */
final class FlagConverter implements ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new TypeConversionException("'" + value + "' is not a yes/no value (use 1 or 0)");
        };
    }
}

package com.tesaiot.publish.cli;

import com.tesaiot.publish.tls.TlsVersion;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Iterator;

/**
 * Reads tlsv1.2 / tlsv1.3, the spelling of the original script and of mosquitto_pub; the same names are what shell
 * completion offers, so completion never offers a value this refuses.
 */
final class TlsVersionConverter implements ITypeConverter<TlsVersion>, Iterable<String> {
    @Override
    public TlsVersion convert(String value) {
        try {
            return TlsVersion.fromCliName(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    @Override
    public Iterator<String> iterator() {
        return Arrays.stream(TlsVersion.values()).map(TlsVersion::cliName).iterator();
    }
}

package com.tesaiot.publish.cli;

import com.tesaiot.publish.tls.TlsVersion;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads tlsv1.2 / tlsv1.3, the spelling of the original script and of mosquitto_pub. */
final class TlsVersionConverter implements ITypeConverter<TlsVersion> {
    @Override
    public TlsVersion convert(String value) {
        try {
            return TlsVersion.fromCliName(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}

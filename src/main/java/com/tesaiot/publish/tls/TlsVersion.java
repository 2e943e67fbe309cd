package com.tesaiot.publish.tls;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The TLS versions a run may use; one is chosen, exactly, as mosquitto_pub's --tls-version does. */
public enum TlsVersion {
    TLS_1_2("tlsv1.2", "TLSv1.2"),
    TLS_1_3("tlsv1.3", "TLSv1.3");

    private final String cliName;
    private final String protocol;

    TlsVersion(String cliName, String protocol) {
        this.cliName = cliName;
        this.protocol = protocol;
    }

    /** The name on the command line and in TLS_VERSION, as the original script spelled it. */
    public String cliName() {
        return cliName;
    }

    /** The JSSE protocol name. */
    public String protocol() {
        return protocol;
    }

    public static TlsVersion fromCliName(String name) {
        for (TlsVersion v : values()) {
            if (v.cliName.equalsIgnoreCase(name.strip())) {
                return v;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a TLS version; use one of "
                + Arrays.stream(values()).map(TlsVersion::cliName).collect(Collectors.joining(", ")));
    }
}

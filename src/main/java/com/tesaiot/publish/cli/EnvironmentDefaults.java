package com.tesaiot.publish.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The original script's environment variables, as defaults for the options they mirror: a flag beats its
 * variable, and a variable beats endpoints.json and the built-in default. A variable set to an empty string
 * counts as unset, as it did in the script. The environment is passed in, so tests need not change the JVM's.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
    /** Option name to environment variable; the README's table is this map. */
    static final Map<String, String> VARIABLES = variables();

    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    private static Map<String, String> variables() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--certs-dir", "CERTS_DIR");
        m.put("--broker-host", "MQTT_HOST");
        m.put("--broker-port", "MQTT_PORT");
        m.put("--device-id", "DEVICE_ID");
        m.put("--tls-version", "TLS_VERSION");
        m.put("--count", "COUNT");
        m.put("--interval", "INTERVAL");
        m.put("--period", "PERIOD_MIN");
        m.put("--dry-run", "DRY_RUN");
        m.put("--topic", "TOPIC");
        m.put("--qos", "QOS");
        m.put("--ca-file", "CA_FILE");
        m.put("--client-cert", "CLIENT_CERT");
        m.put("--client-key", "CLIENT_KEY");
        m.put("--device-file", "DEVICE_FILE");
        m.put("--username", "MQTT_USERNAME");
        m.put("--password", "MQTT_PASSWORD");
        m.put("--key-password", "KEY_PASSWORD");
        m.put("--scenario", "SCENARIO");
        m.put("--seed", "SEED");
        m.put("--job-completion-index", "JOB_COMPLETION_INDEX");
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        // null: picocli falls back to the option's own default
        return argSpec instanceof OptionSpec option ? valueOf(option) : null;
    }

    /** The value the environment gives this option, or null when its variable is unset or blank. */
    String valueOf(OptionSpec option) {
        String variable = VARIABLES.get(option.longestName());
        String value = variable == null ? null : environment.get(variable);
        return value == null || value.isBlank() ? null : value.strip();
    }
}

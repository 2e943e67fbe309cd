package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.BrokerSettings;
import com.tesaiot.publish.bundle.BrokerHosts;
import com.tesaiot.publish.bundle.Secret;
import com.tesaiot.publish.tls.TlsVersion;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Optional;

/** How to reach and log in to the broker: shared by every command that connects. */
final class BrokerOptions {
    @Option(names = "--broker-host", paramLabel = "HOST",
            description = "Broker host (env MQTT_HOST; default endpoints.json, else mqtt.tesaiot.com).")
    String brokerHost;

    @Option(names = "--broker-port", paramLabel = "PORT",
            description = "Broker MQTT-over-TLS port (env MQTT_PORT; default endpoints.json, else 8883).")
    Integer brokerPort;

    @Option(names = "--tls-version", paramLabel = "VERSION", defaultValue = "tlsv1.2", converter = TlsVersionConverter.class,
            description = "tlsv1.2 or tlsv1.3, exactly (env TLS_VERSION; default ${DEFAULT-VALUE}).")
    TlsVersion tlsVersion;

    @Option(names = "--username", paramLabel = "NAME",
            description = "MQTT user name (env MQTT_USERNAME; default the device id when the bundle has api_key.txt).")
    String userName;

    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", fallbackValue = SecretOptions.ASK,
            description = "MQTT password; prefer env MQTT_PASSWORD, or give the flag alone to be asked (or pipe it to standard input)"
                    + " (default api_key.txt when the bundle has one).")
    char[] password;

    @Option(names = "--insecure",
            description = "Do not check that the server certificate names the broker host (it is still checked against ca-chain.pem).")
    boolean insecure;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up connecting after this many seconds (default ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

    /** The checks every command that connects makes before it does. */
    void validate(UsageErrors usage) {
        if (brokerPort != null && (brokerPort < 1 || brokerPort > 65535)) {
            throw usage.invalid("--broker-port", "within 1..65535", brokerPort);
        }
        givenHost().flatMap(BrokerHosts::problemWith).ifPresent(problem -> {
            throw usage.error(usage.name("--broker-host") + ": " + problem);
        });
        if (connectTimeoutSeconds < 1) {
            throw usage.invalid("--connect-timeout", "at least 1 second", connectTimeoutSeconds);
        }
    }

    /** What a device run needs of these options. */
    BrokerSettings settings() {
        return new BrokerSettings(givenHost(), givenPort(), tlsVersion, givenUserName(), givenPassword(), insecure,
                connectTimeout());
    }

    Optional<String> givenHost() {
        return brokerHost == null || brokerHost.isBlank() ? Optional.empty()
                : Optional.of(BrokerHosts.unbracketed(brokerHost.strip()));
    }

    Optional<Integer> givenPort() {
        return Optional.ofNullable(brokerPort);
    }

    Optional<String> givenUserName() {
        return userName == null || userName.isBlank() ? Optional.empty() : Optional.of(userName.strip());
    }

    /** An empty password (an empty answer at the prompt, or stdin at its end) counts as none given. */
    Optional<Secret> givenPassword() {
        return Optional.ofNullable(password).filter(p -> p.length > 0).map(p -> new Secret(new String(p)));
    }

    Duration connectTimeout() {
        return Duration.ofSeconds(connectTimeoutSeconds);
    }
}

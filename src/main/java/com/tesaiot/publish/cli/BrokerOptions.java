package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.BrokerSettings;
import com.tesaiot.publish.bundle.BrokerHosts;
import com.tesaiot.publish.bundle.Secret;
import com.tesaiot.publish.tls.TlsVersion;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.Optional;

/**
 * How to reach and log in to the broker: shared by every command that connects. The short names are those of
 * mosquitto_pub, mqtt-cli and MQTTX ({@code -h -p -i -u -P -L}); the long names this tool had first stay as aliases.
 */
final class BrokerOptions {
    /** What picocli puts in {@code -h} given without a value. */
    private static final String NO_HOST = "\u0000none";
    /** The answer to a lone {@code -h}: the original script's help flag, now the broker host as in every MQTT CLI. */
    static final String LONE_H = "-h is the broker host (-h HOST), as in mosquitto_pub and mqtt-cli; help is --help";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    String brokerHost;

    @Option(names = {"-p", "--port", "--broker-port"}, paramLabel = "PORT",
            description = "Broker MQTT-over-TLS port (env MQTT_PORT; default endpoints.json, else 8883).")
    Integer brokerPort;

    @Option(names = {"-L", "--url"}, paramLabel = "URL", converter = BrokerUrl.Converter.class,
            description = "The broker as one URL, mqtts://[USER@]HOST[:PORT][/TOPIC], as mosquitto_pub takes it"
                    + " (port default 8883; instead of --host and --port).")
    BrokerUrl url;

    @Option(names = "--tls-version", paramLabel = "VERSION", defaultValue = "tlsv1.2", converter = TlsVersionConverter.class,
            completionCandidates = TlsVersionConverter.class,
            description = "tlsv1.2 or tlsv1.3, exactly (env TLS_VERSION; default ${DEFAULT-VALUE}).")
    TlsVersion tlsVersion;

    @Option(names = {"-u", "--username"}, paramLabel = "NAME",
            description = "MQTT user name (env MQTT_USERNAME; default the device id when the bundle has api_key.txt).")
    String userName;

    @Option(names = {"-P", "--password"}, paramLabel = "PASSWORD", arity = "0..1", fallbackValue = SecretOptions.ASK,
            description = "MQTT password; prefer env MQTT_PASSWORD, or give the flag alone to be asked (or pipe it to standard input)"
                    + " (default api_key.txt when the bundle has one).")
    char[] password;

    @Option(names = "--insecure",
            description = "Do not check that the server certificate names the broker host (it is still checked against ca-chain.pem).")
    boolean insecure;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up connecting after this many seconds (default ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

    /**
     * The host. Its value is optional to picocli only so that a lone {@code -h} (help, to the original script and to
     * most tools) reaches this setter and gets a pointer to --help, never help and exit 0; the help shows it as the
     * required value it is.
     */
    @Option(names = {"-h", "--host", "--broker-host"}, paramLabel = "HOST", arity = "0..1", fallbackValue = NO_HOST,
            hideParamSyntax = true,
            description = "Broker host (env MQTT_HOST; default endpoints.json, else mqtt.tesaiot.com).")
    void host(String value) {
        if (NO_HOST.equals(value)) {
            throw new ParameterException(mixee.commandLine(), LONE_H);
        }
        brokerHost = value;
    }

    /** The checks every command that connects makes before it does. */
    void validate(UsageErrors usage) {
        if (url != null && (usage.onCommandLine("--broker-host") || usage.onCommandLine("--broker-port"))) {
            throw usage.error("-L/--url and -h/--host or -p/--port both name the broker: give one of them");
        }
        if (url != null && url.userName().isPresent() && usage.onCommandLine("--username")) {
            throw usage.error("-L/--url names a user and so does -u/--username: give one of them");
        }
        if (brokerPort != null && (brokerPort < 1 || brokerPort > 65535)) {
            throw usage.invalid("--broker-port", "within 1..65535", brokerPort);
        }
        if (url == null && brokerHost != null && brokerHost.contains("://")) {
            throw usage.error(usage.name("--broker-host") + ": '" + brokerHost + "' is a URL: give it with -L/--url,"
                    + " or give --host the host name alone");
        }
        givenHost().flatMap(BrokerHosts::problemWith).ifPresent(problem -> {
            throw usage.error(usage.name("--broker-host") + ": " + problem);
        });
        if (connectTimeoutSeconds < 1) {
            throw usage.invalid("--connect-timeout", "at least 1 second", connectTimeoutSeconds);
        }
    }

    /**
     * The topic: the URL's, or {@code typed} (--topic or TOPIC). A URL topic and a typed --topic together are a
     * usage error; over TOPIC from the environment the URL wins, as a flag beats a variable.
     */
    Optional<String> topic(Optional<String> typed, UsageErrors usage) {
        Optional<String> fromUrl = urlTopic();
        if (fromUrl.isEmpty()) {
            return typed;
        }
        if (typed.isPresent() && usage.onCommandLine("--topic")) {
            throw usage.error("-L/--url names the topic " + fromUrl.get() + " and --topic names " + typed.get()
                    + ": give one of them");
        }
        return fromUrl;
    }

    /** The topic part of -L/--url, if it has one. */
    Optional<String> urlTopic() {
        return url == null ? Optional.empty() : url.topic();
    }

    /** What a device run needs of these options. */
    BrokerSettings settings() {
        return new BrokerSettings(givenHost(), givenPort(), tlsVersion, givenUserName(), givenPassword(), insecure,
                connectTimeout());
    }

    Optional<String> givenHost() {
        if (url != null) {
            return Optional.of(url.host());
        }
        return brokerHost == null || brokerHost.isBlank() ? Optional.empty()
                : Optional.of(BrokerHosts.unbracketed(brokerHost.strip()));
    }

    Optional<Integer> givenPort() {
        return url != null ? Optional.of(url.port()) : Optional.ofNullable(brokerPort);
    }

    Optional<String> givenUserName() {
        if (url != null && url.userName().isPresent()) {
            return url.userName();
        }
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

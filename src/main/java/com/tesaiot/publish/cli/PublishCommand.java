package com.tesaiot.publish.cli;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.telemetry.Scenario;
import com.tesaiot.publish.tls.TlsVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The command line: every option of the original script, each also readable from its environment variable. */
@Command(name = "tesaiot-publish",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Publishes medical telemetry to the TESAIoT platform's MQTT broker over mutual TLS,"
                + " over one connection, and accounts for every acknowledgement.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  every message acknowledged (or dry run done)",
            "  1  some message not acknowledged, or the connection was lost",
            "  2  usage error: a bad flag or value",
            "  3  credential bundle problem: a missing, unreadable or invalid file",
            "  4  TLS or authentication refused",
            "  5  broker unreachable"})
final class PublishCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--certs-dir", paramLabel = "DIR",
            description = "Credential bundle directory (env CERTS_DIR; default ./certs_credentials, else ../certs_credentials).")
    Path certsDir;

    @Option(names = "--broker-host", paramLabel = "HOST",
            description = "Broker host (env MQTT_HOST; default endpoints.json, else mqtt.tesaiot.com).")
    String brokerHost;

    @Option(names = "--broker-port", paramLabel = "PORT",
            description = "Broker MQTT-over-TLS port (env MQTT_PORT; default endpoints.json, else 8883).")
    Integer brokerPort;

    @Option(names = "--device-id", paramLabel = "ID",
            description = "Device id: client id and topic (env DEVICE_ID; default device_id.txt).")
    String deviceId;

    @Option(names = "--tls-version", paramLabel = "VERSION", defaultValue = "tlsv1.2", converter = TlsVersionConverter.class,
            description = "tlsv1.2 or tlsv1.3, exactly (env TLS_VERSION; default ${DEFAULT-VALUE}).")
    TlsVersion tlsVersion;

    @Option(names = "--count", paramLabel = "N",
            description = "Number of messages (env COUNT; default 1).")
    Long count;

    @Option(names = "--once", description = "Publish one message (the same as --count 1).")
    boolean once;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between messages, decimals allowed, 0 for as fast as the broker acknowledges"
                    + " (env INTERVAL; default ${DEFAULT-VALUE}).")
    BigDecimal interval;

    @Option(names = "--period", paramLabel = "MINUTES",
            description = "Publish for this many minutes: count = max(1, floor(period*60 / interval)); an interval of 0"
                    + " counts as 5 here (env PERIOD_MIN).")
    BigDecimal period;

    @Option(names = "--dry-run", converter = FlagConverter.class, defaultValue = "false",
            description = "Print the payloads, one JSON object per line, and connect to nothing (env DRY_RUN=1).")
    boolean dryRun;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "Topic (env TOPIC; default device/{device id}/telemetry).")
    String topic;

    @Option(names = "--qos", paramLabel = "0|1|2", defaultValue = "1",
            description = "MQTT quality of service (env QOS; default ${DEFAULT-VALUE}).")
    int qos;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "CA chain instead of the bundle's ca-chain.pem (env CA_FILE).")
    Path caFile;

    @Option(names = "--client-cert", paramLabel = "FILE", description = "Client certificate instead of client_cert.pem (env CLIENT_CERT).")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE", description = "Client key instead of client_key.pem (env CLIENT_KEY).")
    Path clientKey;

    @Option(names = "--device-file", paramLabel = "FILE", description = "Device id file instead of device_id.txt (env DEVICE_FILE).")
    Path deviceFile;

    @Option(names = "--key-password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            description = "Password of an encrypted client key; prefer env KEY_PASSWORD, or give the flag alone to be asked.")
    char[] keyPassword;

    @Option(names = "--username", paramLabel = "NAME",
            description = "MQTT user name (env MQTT_USERNAME; default the device id when the bundle has api_key.txt).")
    String userName;

    @Option(names = "--password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
            description = "MQTT password; prefer env MQTT_PASSWORD, or give the flag alone to be asked"
                    + " (default api_key.txt when the bundle has one).")
    char[] password;

    @Option(names = "--insecure",
            description = "Do not check that the server certificate names the broker host (it is still checked against ca-chain.pem).")
    boolean insecure;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "normal",
            description = "Patient scenario (env SCENARIO; default ${DEFAULT-VALUE}); see --list-scenarios.")
    String scenario;

    @Option(names = "--list-scenarios", description = "List the scenarios with their thresholds, and exit.")
    boolean listScenarios;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed for the telemetry, for the same values on every run (env SEED; default random).")
    Long seed;

    @Option(names = "--max-inflight", paramLabel = "N", defaultValue = "100",
            description = "QoS 1/2 messages awaiting acknowledgement at once (default ${DEFAULT-VALUE}).")
    int maxInflight;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up connecting after this many seconds (default ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

    @Option(names = "--verbose", description = "On failure, also print the stack trace.")
    boolean verbose;

    @Override
    public Integer call() throws Failure, InterruptedException {
        if (listScenarios) {
            for (Scenario s : Scenario.values()) {
                spec.commandLine().getOut().printf("%-16s %s%n", s.cliName(), s.description());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
        RunPlan plan = RunPlan.from(this);
        return new PublishRun(plan, spec.commandLine().getOut(), spec.commandLine().getErr()).execute();
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}

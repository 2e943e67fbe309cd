package com.tesaiot.publish.cli;

import com.tesaiot.publish.app.OutputFormat;
import picocli.CommandLine.Option;

import java.math.BigDecimal;
import java.nio.file.Path;

/**
 * The flags that say how a device's readings are made and delivered, taken alike by {@code publish} and by every
 * device of a {@code fleet}; {@link DeliveryResolver} checks them.
 */
final class DeliveryOptions {
    @Option(names = "--count", paramLabel = "N",
            description = "Number of messages, per device in a fleet (env COUNT; default 1).")
    Long count;

    @Option(names = "--once", description = "Publish one message (the same as --count 1).")
    boolean once;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between a device's messages, decimals allowed, 0 for as fast as the broker"
                    + " acknowledges (env INTERVAL; default ${DEFAULT-VALUE}).")
    BigDecimal interval;

    @Option(names = "--period", paramLabel = "MINUTES",
            description = "Publish for this many minutes: count = max(1, floor(period*60 / interval)); an interval of 0"
                    + " counts as 5 here (env PERIOD_MIN).")
    BigDecimal period;

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC",
            description = "Topic, where {device_id} stands for the device's id (env TOPIC; default"
                    + " device/{device_id}/telemetry).")
    String topic;

    @Option(names = {"-q", "--qos"}, paramLabel = "0|1|2", defaultValue = "1",
            description = "MQTT quality of service; QoS 0 is never acknowledged (env QOS; default ${DEFAULT-VALUE}).")
    int qos;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed for the telemetry, for the same values on every run; a fleet's devices each derive"
                    + " theirs from it and their id (env SEED; default random).")
    Long seed;

    @Option(names = "--max-inflight", paramLabel = "N", defaultValue = "100",
            description = "QoS 1/2 messages of one device awaiting acknowledgement at once (default ${DEFAULT-VALUE}).")
    int maxInflight;

    @Option(names = "--delivery-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "A message not acknowledged this many seconds after it was made, reconnects included,"
                    + " counts as failed (default ${DEFAULT-VALUE}).")
    int deliveryTimeoutSeconds;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "While messages await acknowledgement and none arrives for this long (or longer, when the"
                    + " broker's acknowledgements have been slower), the connection counts as stalled: it is dropped"
                    + " and redone, and the unacknowledged messages sent again (default ${DEFAULT-VALUE}).")
    BigDecimal stallFloorSeconds;

    @Option(names = "--outbox", paramLabel = "DIR",
            description = "Keep unacknowledged readings in DIR (a fleet: one folder per device id in it), so that a"
                    + " killed run loses none: the next run with the same outbox sends them first.")
    Path outbox;

    @Option(names = "--skip-unreadable-outbox-lines",
            description = "Go on when an outbox journal has lines that cannot be read: they are kept verbatim in a"
                    + " file beside it, and the readable readings are sent (without it, such a journal stops the run).")
    boolean skipUnreadableOutboxLines;

    @Option(names = "--output", paramLabel = "text|json|jsonl", defaultValue = "text", completionCandidates = OutputFormatConverter.class,
            description = "text: a closing summary on stderr; json: also the summary (a fleet: the report, histograms"
                    + " included, for fleet merge) as one JSON object on stdout; jsonl: JSON lines on stdout, one per"
                    + " message (a dry run: the payloads; a fleet: one per device) (default ${DEFAULT-VALUE}).")
    OutputFormat output;
}

package com.tesaiot.publish.app;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.BundleLayout;
import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.mqtt.ConnectionSettings;
import com.tesaiot.publish.mqtt.Topics;
import com.tesaiot.publish.report.CheckReport;
import com.tesaiot.publish.report.ConsoleLog;
import com.tesaiot.publish.report.DeliveryTally;
import com.tesaiot.publish.report.MessageLines;
import com.tesaiot.publish.telemetry.Scenario;
import com.tesaiot.publish.telemetry.TelemetryStream;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One {@code check}: each step of a publish run done on its own and reported as it ends, so that a failure is
 * pinned to its step. Every failure is worded by the code that words it for a publish run.
 */
public final class CheckRun {
    private static final Duration MIN_ACK_WAIT = Duration.ofSeconds(10);

    private final DeviceCredentials credentials;
    private final BrokerSettings broker;
    private final boolean publishTest;
    private final String topic;
    private final CheckReport report;
    private final PrintWriter err;
    private final boolean verbose;
    private final FailureStatement statement;
    private final Clock clock = Clock.systemUTC();

    public CheckRun(DeviceCredentials credentials, BrokerSettings broker, boolean publishTest, Optional<String> topic,
            CheckReport report, PrintWriter err, boolean verbose, FailureStatement statement) {
        this.credentials = credentials;
        this.broker = broker;
        this.publishTest = publishTest;
        this.topic = topic.orElse(null);
        this.report = report;
        this.err = err;
        this.verbose = verbose;
        this.statement = statement;
    }

    /** Runs every step up to the first failure; returns the exit code the front end gives that failure, or 0. */
    public int execute() throws InterruptedException {
        String step = "bundle";
        try {
            PreparedConnection connection = bundle();
            Endpoint endpoint = connection.endpoint();
            ConnectionSettings settings = connection.settings(1, ackWait(connection));
            NetworkCheck network = new NetworkCheck(report, clock);
            step = "dns";
            InetAddress address = network.dns(endpoint, settings);
            step = "tcp";
            Socket tcp = network.tcp(address, endpoint, settings);
            step = "tls";
            network.tls(tcp, address, connection, settings);
            step = "mqtt";
            String deviceId = connection.bundle().deviceId();
            DeliverySettings one = new DeliverySettings(1, Duration.ZERO, Optional.ofNullable(topic), 1,
                    new SecureRandom().nextLong(), 1, ackWait(connection), ConnectionSettings.DEFAULT_STALL_FLOOR,
                    Optional.empty(), false, OutputFormat.TEXT);
            String target = one.topicFor(deviceId);
            DeviceSession session = new DeviceSession(deviceId, target, one,
                    new TelemetryStream(deviceId, Scenario.NORMAL, one.seed(), Duration.ofSeconds(5)),
                    new DeliveryTally(DeliveryTally.Story.silent(), MessageLines.NONE), new DeviceSession.Owner() {
                    }, new ConsoleLog(err, clock));
            try {
                session.connect(settings, () -> false, null);
                report.passed("mqtt", "CONNECT accepted: client id " + settings.clientId() + ", " + login(settings));
                if (publishTest) {
                    step = "publish";
                    Topics.requirePublishable(target, topic != null);
                    publishOne(session, connection, target);
                }
            } finally {
                session.close();
            }
            report.finish(0, "Ready: " + connection.bundle().deviceId() + " can "
                    + (publishTest ? "publish" : "connect") + " to " + endpoint + ".");
            return 0;
        } catch (Failure f) {
            report.failed(step, statement.line(f));
            if (verbose) {
                f.printStackTrace(err);
                err.flush();
            }
            report.finish(statement.exitCode(f), null);
            return statement.exitCode(f);
        }
    }

    /** What we logged in with, never the password itself. */
    private static String login(ConnectionSettings settings) {
        String password = settings.password().isPresent() ? "a password" : "no password";
        return settings.userName().map(u -> "user name " + u + " and " + password)
                .orElse(settings.password().isPresent() ? "no user name and a password" : "no user name or password");
    }

    /** The publish run's preflight, with its warnings as lines of their own. */
    private PreparedConnection bundle() throws Failure {
        StringWriter warnings = new StringWriter();
        PreparedConnection connection;
        try {
            connection = PreparedConnection.prepare(credentials, broker,
                    new ConsoleLog(new PrintWriter(warnings), clock));
        } catch (Failure f) {
            reportWarnings(warnings);
            throw f;
        }
        X509Certificate certificate = connection.tls().clientCertificate();
        BundleLayout layout = connection.bundle().layout();
        report.passed("bundle", credentials.location().source()
                + (layout == BundleLayout.ORIGINAL ? "" : " (" + layout.description() + ")")
                + ": device " + connection.bundle().deviceId()
                + ", client certificate " + connection.tls().clientCommonName().map(cn -> "CN=" + cn).orElse("without CN")
                + " issued by " + certificate.getIssuerX500Principal().getName()
                + ", valid until " + certificate.getNotAfter().toInstant()
                + ", " + certificate.getPublicKey().getAlgorithm() + " key matching it");
        reportWarnings(warnings);
        return connection;
    }

    /** Preflight reports its findings only as log warnings: each captured line is one (prefix and all). */
    private void reportWarnings(StringWriter warnings) {
        warnings.toString().lines()
                .filter(line -> !line.isBlank())
                .map(line -> line.replaceFirst("^(\\[[^]]*] )?warning: ", ""))
                .forEach(line -> report.warned("bundle", line));
    }

    /** As long as a connect may take, and at least 10 s: a broker busy enough to be slower is worth knowing about. */
    private static Duration ackWait(PreparedConnection connection) {
        Duration connect = connection.broker().connectTimeout();
        return connect.compareTo(MIN_ACK_WAIT) > 0 ? connect : MIN_ACK_WAIT;
    }

    /**
     * The publish step is one device session of one reading, as {@code publish --once} runs it: its failure is
     * worded by the session's one ending decision.
     */
    private void publishOne(DeviceSession session, PreparedConnection connection, String target)
            throws Failure, InterruptedException {
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        try {
            session.start(ticks, Duration.ZERO);
            session.awaitMadeAll();
            // The publisher settles the message within the delivery timeout: acknowledged, or given up (also when the
            // broker keeps closing the connection after it, as an ACL does); the extra second is a margin only.
            session.awaitOutstanding(System.nanoTime() + ackWait(connection).plusSeconds(1).toNanos());
        } finally {
            ticks.shutdownNow();
        }
        Optional<Failure> failure = session.failure(connection.endpoint(), false);
        if (failure.isPresent()) {
            throw failure.get();
        }
        report.passed("publish", "1 telemetry message (QoS 1) on " + target + " acknowledged in "
                + Duration.ofNanos(session.tally().latency().maxNanos()).toMillis() + " ms");
    }
}

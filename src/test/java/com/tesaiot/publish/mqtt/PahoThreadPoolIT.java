package com.tesaiot.publish.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.TestMqttClient;
import com.tesaiot.publish.testing.mqtt.IgnoredDeliveries;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paho 1.2.5 sleeps 100 ms in each of its three thread start loops per connection. The JVM's flight recorder
 * sees every {@code Thread.sleep} with its stack, so these tests look at the sleeps themselves rather than time
 * the connection: a sleep Paho sits out lasts at least its 100 ms on any machine, one cut short by
 * {@link PahoThreadPool} lasts about as long as a thread takes to start.
 */
class PahoThreadPoolIT {

    private static final Duration PAHO_SLEEP = Duration.ofMillis(100);
    private static final int CONNECTIONS = 5;

    @RegisterExtension
    static MutualTlsBroker broker = MutualTlsBroker.builder().build();

    @TempDir
    Path recordings;

    @Test
    void connectingNeverSitsOutPahosHundredMillisecondThreadStartSleeps() throws Exception {
        List<Duration> pahoAlone = startLoopSleeps("", () -> {
            IssuedCertificate device = broker.pki().issueClient("paho-alone", KeyType.EC);
            for (int i = 0; i < 2; i++) {
                TestMqttClient.connect(broker.serverUri(), "paho-alone", broker.clientSocketFactory(device), null, null)
                        .close();
            }
            return null;
        });
        // Only our connections' threads: a client another test left behind may be reconnecting on Paho's own.
        List<Duration> ours = startLoopSleeps("pool-device", () -> {
            ConnectionSettings settings = settings("pool-device");
            for (int i = 0; i < CONNECTIONS; i++) {
                MqttPublisher.connect(settings, new IgnoredDeliveries()).close();
            }
            return null;
        });

        // Paho on its own threads: the recording sees the sleeps this pool exists to cut short.
        assertTrue(pahoAlone.stream().anyMatch(d -> d.compareTo(PAHO_SLEEP) >= 0), "Paho's own sleeps: " + pahoAlone);
        assertTrue(ours.stream().allMatch(d -> d.compareTo(PAHO_SLEEP) < 0),
                CONNECTIONS + " connections slept out a start loop: " + ours);
    }

    @Test
    void leavesNoThreadBehindOnceClosed() throws Exception {
        ConnectionSettings settings = settings("thread-count-device");
        MqttPublisher publisher = MqttPublisher.connect(settings, new IgnoredDeliveries());
        assertFalse(threadsOf("thread-count-device").isEmpty(), "the connection runs on named threads");

        publisher.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> threadsOf("thread-count-device").isEmpty());
    }

    @Test
    void aLoneConnectionRunsOnPlatformThreadsAndAFleetsOnVirtualOnesFromJava24() throws Exception {
        MqttPublisher lone = MqttPublisher.connect(settings("lone-device"), new IgnoredDeliveries());
        try (SharedTimers timers = SharedTimers.create(1)) {
            MqttPublisher ofFleet = MqttPublisher.connect(settings("fleet-device"), new IgnoredDeliveries(), () -> false,
                    timers).orElseThrow();
            try {
                // A single run's JVM would wait 300 ms at exit for virtual threads' socket poller (JDK 25).
                assertFalse(platformThreadsOf("lone-device").isEmpty(), "a lone connection on platform threads");
                assertEquals(Runtime.version().feature() < 24, !platformThreadsOf("fleet-device").isEmpty(),
                        "a fleet's connection on virtual threads from Java 24, platform threads before");
                assertFalse(threadsOf("fleet-device").isEmpty(), "either way, named after the device");
            } finally {
                ofFleet.close();
            }
        } finally {
            lone.close();
        }
    }

    @Test
    void aFleetConnectionsBurstDefersItsWritesOnAVirtualThreadFromJava24() throws Exception {
        try (SharedTimers timers = SharedTimers.create(1)) {
            MqttPublisher ofFleet = MqttPublisher.connect(settings("burst-device"), new IgnoredDeliveries(), () -> false,
                    timers).orElseThrow();
            try {
                for (int i = 0; i < 200; i++) {
                    ofFleet.publish("device/burst-device/telemetry", new byte[300], 1, i);
                }
                // Checked at once: the timer's thread ends after a second without a burst.
                assertFalse(threadsOf("TLS writes of burst-device").isEmpty(), "the burst's writes were deferred");
                assertEquals(Runtime.version().feature() < 24,
                        !platformThreadsNamed("TLS writes of burst-device").isEmpty(),
                        "a fleet's deferred writes on a virtual thread from Java 24 (a platform thread per device"
                                + " bursting at --interval 0 otherwise), on a platform thread before");
            } finally {
                ofFleet.close();
            }
        }
    }

    /** The live platform threads of {@code clientId}'s pool (the JDK lists no virtual thread here). */
    private static List<String> platformThreadsOf(String clientId) {
        return platformThreadsNamed("Paho thread of " + clientId);
    }

    private static List<String> platformThreadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(prefix)).toList();
    }

    /**
     * The live threads named after {@code clientId}. On Java 24+ a fleet's Paho threads are virtual, which
     * {@code Thread.getAllStackTraces()} does not list: the JSON thread dump (Java 21+, called by reflection since the
     * tests compile for 17) does.
     */
    private List<String> threadsOf(String clientId) throws Exception {
        List<String> names;
        try {
            Class<?> format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Path dump = recordings.resolve("threads-" + System.nanoTime() + ".json");
            HotSpotDiagnosticMXBean.class.getMethod("dumpThreads", String.class, format).invoke(
                    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class), dump.toString(),
                    format.getField("JSON").get(null));
            Matcher name = Pattern.compile("\"name\": \"([^\"]*)\"").matcher(Files.readString(dump));
            names = name.results().map(m -> m.group(1)).toList();
        } catch (ClassNotFoundException e) {
            names = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).toList();
        }
        return names.stream().filter(n -> n.contains(clientId)).toList();
    }

    private ConnectionSettings settings(String clientId) {
        IssuedCertificate device = broker.pki().issueClient(clientId, KeyType.EC);
        return new ConnectionSettings(new Endpoint(MutualTlsBroker.HOST, broker.port()), clientId, Optional.empty(),
                Optional.empty(), broker.clientSocketFactory(device), true, 10, Duration.ofSeconds(10),
                Duration.ofSeconds(10), ConnectionSettings.DEFAULT_STALL_FLOOR);
    }

    /**
     * How long each {@code Thread.sleep} in a Paho thread start loop lasted while {@code work} ran, on threads whose
     * name holds {@code threadName}.
     */
    private List<Duration> startLoopSleeps(String threadName, Callable<Void> work) throws Exception {
        Path file = Files.createTempFile(recordings, "sleeps", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ThreadSleep").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            work.call();
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream().filter(PahoThreadPoolIT::inAStartLoop)
                .filter(sleep -> sleep.getThread() != null && String.valueOf(sleep.getThread().getJavaName()).contains(threadName))
                .map(RecordedEvent::getDuration).toList();
    }

    private static boolean inAStartLoop(RecordedEvent sleep) {
        if (sleep.getStackTrace() == null) {
            return false;
        }
        return sleep.getStackTrace().getFrames().stream().map(RecordedFrame::getMethod)
                .anyMatch(m -> m.getName().equals("start")
                        && m.getType().getName().matches("org\\.eclipse\\.paho\\.client\\.mqttv3\\.internal\\.Comms(Receiver|Sender|Callback)"));
    }
}

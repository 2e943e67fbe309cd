package com.tesaiot.publish.e2e;

import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.IssuedCertificate;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.brokers.MosquittoBroker;
import com.tesaiot.publish.testing.pki.ClientTls;
import com.tesaiot.publish.testing.tool.ToolProcess;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocketFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clients with one client id against mosquitto, which (like EMQX) closes the older connection when a second
 * one connects with the same id: the run names the takeover and stops with its own exit code, instead of
 * reconnecting and knocking the other off for ever.
 */
class SessionTakeoverEndToEndIT {
    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    private static final String LINE_START = "another client with the id ";

    @Test
    void aRunWhoseSessionAnotherClientKeepsTakingOverStopsWithTheTakeoverNamedAndExitCode6() throws Exception {
        String deviceId = "device-taken-over";
        IssuedCertificate certificate = BROKER.pki().issueClient(deviceId, KeyType.EC);
        Path bundle = BROKER.bundle(DeviceBundle.of(deviceId, certificate, BROKER.pki().caChain(), "localhost",
                BROKER.process().port()));
        try (OtherClient other = OtherClient.keepConnecting(deviceId, certificate)) {
            ToolRun run = ToolRun.run("--certs-dir", bundle.toString(), "--count", "100", "--interval", "0.1");

            run.assertFailsWithOneLine(6, LINE_START + deviceId + " is connected to localhost:"
                    + BROKER.process().port() + " and takes the session over");
            assertTrue(run.errorLine().contains("stop the other client, or run with another device id"), run.err());
            assertTrue(other.connections() >= 5, "the other client took the session back each time: " + other.connections());
        }
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "starts a second JVM with a POSIX class path")
    void twoRunsWithOneDeviceIdDoNotKnockEachOtherOffForEverAndTheOneThatGivesUpSaysWhy(@TempDir Path dir)
            throws Exception {
        Path bundle = BROKER.bundle("device-twice", KeyType.EC, com.tesaiot.publish.devpki.PrivateKeyFormat.PKCS8, null);
        List<String> args = List.of("--certs-dir", bundle.toString(), "--count", "100", "--interval", "0.1");
        List<String> command = ToolProcess.command(args);
        Path stderr = dir.resolve("stderr.log");
        Process second = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectError(stderr.toFile()).start();
        try {
            // The second JVM's start takes seconds on a loaded machine: the runs must overlap to meet.
            await().atMost(Duration.ofSeconds(60)).failFast(() -> !second.isAlive())
                    .until(() -> Files.readString(stderr).contains("Connecting to"));
            CompletableFuture<ToolRun> first = CompletableFuture.supplyAsync(() -> ToolRun.run(args.toArray(String[]::new)));
            ToolRun firstRun = first.get(90, TimeUnit.SECONDS);
            assertTrue(second.waitFor(90, TimeUnit.SECONDS), "the second run ends too");
            String secondErr = Files.readString(stderr);
            List<Integer> codes = List.of(firstRun.exitCode(), second.exitValue());

            assertTrue(codes.contains(6), "one of them names the takeover: " + codes + "\n" + firstRun.err() + "\n" + secondErr);
            for (int i = 0; i < 2; i++) {
                String err = i == 0 ? firstRun.err() : secondErr;
                if (codes.get(i) == 6) {
                    assertTrue(err.contains("error: " + LINE_START + "device-twice is connected to"), err);
                } else {
                    assertEquals(0, codes.get(i), "the other delivers once the session is its own: " + err);
                }
            }
        } finally {
            second.destroyForcibly();
        }
    }

    /** A plain Paho client with our device's certificate and id that connects again whenever it is knocked off. */
    private static final class OtherClient implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread thread;

        private OtherClient(String clientId, SSLSocketFactory sockets) {
            thread = new Thread(() -> run(clientId, sockets), "other-client");
            thread.setDaemon(true);
        }

        static OtherClient keepConnecting(String clientId, IssuedCertificate certificate) {
            SSLSocketFactory sockets = ClientTls.socketFactory(certificate, List.of(BROKER.pki().intermediate().certificate()),
                    List.of(BROKER.pki().root().certificate()), "TLS");
            OtherClient other = new OtherClient(clientId, sockets);
            other.thread.start();
            return other;
        }

        private void run(String clientId, SSLSocketFactory sockets) {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setSocketFactory(sockets);
            options.setConnectionTimeout(10);
            while (!stop.get()) {
                CountDownLatch lost = new CountDownLatch(1);
                try (MqttClient client = new MqttClient("ssl://localhost:" + BROKER.process().port(), clientId,
                        new MemoryPersistence())) {
                    client.setCallback(new MqttCallback() {
                        @Override
                        public void connectionLost(Throwable cause) {
                            lost.countDown();
                        }

                        @Override
                        public void messageArrived(String topic, MqttMessage message) {
                        }

                        @Override
                        public void deliveryComplete(IMqttDeliveryToken token) {
                        }
                    });
                    client.connect(options);
                    connections.incrementAndGet();
                    while (!stop.get() && !lost.await(100, TimeUnit.MILLISECONDS)) {
                        // connected: the session is ours until the broker hands it to the run
                    }
                    if (client.isConnected()) {
                        client.disconnect(1_000);
                    }
                } catch (MqttException e) {
                    // Knocked off mid-connect by the run: connect again.
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(15_000);
        }
    }
}

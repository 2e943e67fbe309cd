package com.tesaiot.publish.e2e;

import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.testing.brokers.LoopbackPorts;
import com.tesaiot.publish.testing.tool.ToolProcess;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-reading run with the key forms devices have reads the key with the JDK alone: not one BouncyCastle class is
 * loaded (BouncyCastle's PEM reading costs a cold start some 60-70 ms and about 130 classes). Seen in the JVM's own
 * class-loading log of a run against a port nothing listens on, which reads the bundle and the key, then fails.
 */
class DeviceKeyClassLoadingEndToEndIT {
    private static final DevelopmentPki PKI = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = PrivateKeyFormat.class, names = {"SEC1_EC", "SEC1_EC_WITH_PARAMETERS", "PKCS8"})
    void aRunReadsAnEcDeviceKeyWithoutLoadingBouncyCastle(PrivateKeyFormat format) throws Exception {
        Path bundle = Files.createDirectory(dir.resolve("bundle"));
        DeviceBundleWriter.write(bundle, DeviceBundle.of("device-1", PKI.issueClient("device-1", KeyType.EC),
                PKI.caChain(), "127.0.0.1", 8883).withKeyFormat(format, null));
        Path log = dir.resolve("class-load.log");
        List<String> command = ToolProcess.command("--certs-dir", bundle.toString(), "--broker-host", "127.0.0.1",
                "--broker-port", String.valueOf(LoopbackPorts.free()), "--once");
        command.add(1, "-Xlog:class+load:file=" + log);

        Process run = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.log").toFile()).start();
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run ends");

        String output = Files.readString(dir.resolve("output.log"));
        assertEquals(5, run.exitValue(), output); // unreachable: the key was read and accepted first
        assertTrue(output.contains("refused"), output);
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(line -> line.contains("com.tesaiot.publish.tls.PemReader ")),
                "the log is the run's class-loading log");
        List<String> bouncyCastle = loaded.stream().filter(line -> line.contains("org.bouncycastle.")).toList();
        assertTrue(bouncyCastle.isEmpty(), () -> bouncyCastle.size() + " BouncyCastle classes loaded, the first: "
                + bouncyCastle.get(0));
    }
}

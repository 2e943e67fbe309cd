package com.tesaiot.publish.e2e;

import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.brokers.MosquittoBroker;
import com.tesaiot.publish.testing.bundles.PlatformDownload;
import com.tesaiot.publish.testing.bundles.PlatformDownload.Layout;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static com.tesaiot.publish.e2e.DeliveredTelemetry.assertDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The platform's downloads against mosquitto (certificate-only login, an ACL per CN), with no environment set:
 * the MQTT zip as downloaded, the HTTPS zip, a CSR device's zip with the key the device made, and an import.
 * Skipped, visibly, where mosquitto is not installed.
 */
class PlatformBundleMosquittoEndToEndIT {
    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    @TempDir
    Path dir;

    private static PlatformDownload download(String deviceId) {
        return PlatformDownload.of(DeviceBundle.of(deviceId, BROKER.pki().issueClient(deviceId, KeyType.EC),
                BROKER.pki().caChain(), "localhost", BROKER.process().port()), BROKER.serverCertificate());
    }

    @Test
    void publishesFromTheMqttDownloadZipAsDownloaded() throws Exception {
        Path zip = download("mq-download").writeZip(dir.resolve("mq-download-mqtts-mtls-bundle-20261127T120000.zip"), "");

        ToolRun run = ToolRun.run("--certs-dir", zip.toString(), "--count", "3", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertDelivered(BROKER.process(), BROKER.subscriber(), "mq-download", 3);
    }

    @Test
    void publishesFromTheHttpsDownloadZipWithTheBrokerGiven() throws Exception {
        Path zip = download("mq-https").layout(Layout.HTTPS_DOWNLOAD).writeZip(dir.resolve("mq-https-https-mtls-bundle.zip"), "");

        ToolRun run = ToolRun.run("--certs-dir", zip.toString(), "--broker-host", "localhost",
                "--broker-port", String.valueOf(BROKER.process().port()), "--count", "3", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertDelivered(BROKER.process(), BROKER.subscriber(), "mq-https", 3);
    }

    @Test
    void publishesFromACsrDevicesDownloadWithTheKeyTheDeviceMade() throws Exception {
        PlatformDownload download = download("mq-csr").withoutKey();
        Path zip = download.writeZip(dir.resolve("mq-csr.zip"), "mq-csr-mqtts-mtls-bundle-20261127T120000");
        Path key = download.writeKey(dir.resolve("device.key"));

        ToolRun.run("--certs-dir", zip.toString(), "--once").assertFailsWithOneLine(3, "has no private key");
        ToolRun run = ToolRun.run("--certs-dir", zip.toString(), "--client-key", key.toString(), "--count", "3",
                "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertDelivered(BROKER.process(), BROKER.subscriber(), "mq-csr", 3);
    }

    @Test
    void publishesFromTheFolderBundleImportMadeOfTheDownload() throws Exception {
        Path zip = download("mq-import").writeZip(dir.resolve("mq-import.zip"), "");
        Path imported = dir.resolve("certs_credentials");

        assertEquals(0, ToolRun.run("bundle", "import", zip.toString(), "--out", imported.toString()).exitCode());
        ToolRun run = ToolRun.run("--certs-dir", imported.toString(), "--count", "3", "--interval", "0");

        assertEquals(0, run.exitCode(), run.err());
        assertDelivered(BROKER.process(), BROKER.subscriber(), "mq-import", 3);
    }
}

package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BundleLayoutTest {

    private static BundleLayout.Files detect(String... names) throws Failure {
        return BundleLayout.detect("bundle.zip", List.of(names)).orElseThrow();
    }

    @Test
    void recognisesTheOriginalLayoutByItsFileNames() throws Exception {
        assertEquals(BundleLayout.original(), detect("device_id.txt", "client_cert.pem", "client_key.pem",
                "ca-chain.pem", "endpoints.json"));
    }

    @Test
    void theHubsSyncedFolderIsTheOriginalLayoutEvenWithTheDownloadsFilesBeside() throws Exception {
        assertEquals(BundleLayout.ORIGINAL, detect("client_cert.pem", "dev-1-certificate.pem", "ca-chain.pem").layout());
    }

    @Test
    void recognisesTheMqttDownloadAndTakesTheDeviceIdFromTheCertificatesName() throws Exception {
        assertEquals(new BundleLayout.Files(BundleLayout.MQTT_DOWNLOAD, Optional.of("dev-1"), "dev-1.pem", "dev-1.key",
                "ca-chain.pem"), detect("ca-chain.pem", "dev-1.pem", "dev-1.key", "mqtt-broker.pem", "endpoints.json",
                "mqtt_client_config.h", "README.txt"));
    }

    @Test
    void aCsrDevicesMqttDownloadWithoutKeyIsStillTheMqttDownload() throws Exception {
        assertEquals(BundleLayout.MQTT_DOWNLOAD, detect("ca-chain.pem", "dev-1.pem", "mqtt-broker.pem").layout());
    }

    @Test
    void recognisesTheHttpsDownloadWithItsOwnCaChain() throws Exception {
        assertEquals(new BundleLayout.Files(BundleLayout.HTTPS_DOWNLOAD, Optional.of("dev-1"), "dev-1-certificate.pem",
                "dev-1.key", "dev-1-ca-chain.pem"), detect("dev-1-certificate.pem", "dev-1-ca-chain.pem", "dev-1.key",
                "endpoints.json"));
        assertEquals(BundleLayout.HTTPS_DOWNLOAD.namesBroker(), false);
    }

    @Test
    void namesEveryCertificateWhenTheBundleHoldsMoreThanOneDevice() {
        Failure failure = assertThrows(Failure.class, () -> detect("a.pem", "a.key", "b.pem", "b.key", "ca-chain.pem"));

        assertEquals("bundle.zip holds the certificates of more than one device (a.pem, b.pem): give the bundle of one"
                + " device, or one device's certificate and key", failure.getMessage());
        assertEquals(Failure.Kind.BUNDLE, failure.kind());
    }

    @Test
    void findsNoLayoutWhereNoFileLooksLikeADeviceCertificate() throws Exception {
        assertEquals(Optional.empty(), BundleLayout.detect("dir", List.of("ca-chain.pem", "mqtt-broker.pem",
                "README.txt")));
    }
}

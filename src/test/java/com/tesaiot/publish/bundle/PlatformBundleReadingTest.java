package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.bundles.PlatformDownload;
import com.tesaiot.publish.testing.bundles.PlatformDownload.Layout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The platform's downloads, zipped and unzipped, read as they come: which file plays which part, and every refusal. */
class PlatformBundleReadingTest {
    private static DevelopmentPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() {
        pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
    }

    private static PlatformDownload download(String deviceId) {
        return download(deviceId, deviceId);
    }

    /** A download for {@code deviceId} whose certificate says CN = {@code commonName}. */
    private static PlatformDownload download(String deviceId, String commonName) {
        return PlatformDownload.of(DeviceBundle.of(deviceId, pki.issueClient(commonName, KeyType.EC), pki.caChain(),
                "mqtt.example", 8883), pki.root().certificate());
    }

    private static CredentialBundle read(Path source) throws Failure {
        return CredentialBundleReader.read(BundleLocation.at(source), Optional.empty());
    }

    private static Failure refusal(Path source) {
        return assertThrows(Failure.class, () -> read(source));
    }

    @Test
    void readsTheMqttDownloadZipInMemoryNamingEachEntryInsideTheZip() throws Exception {
        Path zip = download("dev-1").writeZip(dir.resolve("dev-1-mqtts-mtls-bundle-20261127.zip"), "");

        CredentialBundle bundle = read(zip);

        assertEquals("dev-1", bundle.deviceId());
        assertEquals("the certificate's file name dev-1.pem", bundle.identity().source());
        assertEquals(BundleLayout.MQTT_DOWNLOAD, bundle.layout());
        assertEquals(zip + "!/dev-1.key", bundle.clientKey().toString());
        assertInstanceOf(FileOrigin.InZip.class, bundle.clientKey().origin());
        assertEquals(zip + "!/ca-chain.pem", bundle.caChain().toString());
        assertTrue(bundle.brokerCertificate().isPresent());
        assertEquals(new Endpoint("mqtt.example", 8883), EndpointsFile.read(bundle.endpoints().orElseThrow()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(zip), files.toList(), "nothing extracted");
        }
    }

    @Test
    void readsAZipThatWrapsTheBundleInOneFolder() throws Exception {
        Path zip = download("dev-2").writeZip(dir.resolve("dev-2.zip"), "dev-2-mqtts-mtls-bundle-20261127");

        CredentialBundle bundle = read(zip);

        assertEquals("dev-2", bundle.deviceId());
        assertEquals(zip + "!/dev-2-mqtts-mtls-bundle-20261127/dev-2.pem", bundle.clientCertificate().toString());
    }

    /** Finder's "Compress" wraps the folder and adds __MACOSX/ metadata beside it. */
    @Test
    void readsAZipMadeOnAMacWithItsMetadataFolderBeside() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        download("dev-mac").files().forEach((name, text) -> {
            files.put("dev-mac-bundle/" + name, text);
            files.put("__MACOSX/dev-mac-bundle/._" + name, "\u0000\u0005metadata");
        });
        Path zip = PlatformDownload.writeZip(dir.resolve("dev-mac-bundle.zip"), files);

        assertEquals("dev-mac", read(zip).deviceId());
    }

    @Test
    void readsAnUnzippedDownloadAndAFolderThatWrapsIt() throws Exception {
        Path folder = download("dev-3").writeFolder(dir.resolve("Downloads").resolve("dev-3-mqtts-mtls-bundle"));

        assertEquals("dev-3", read(folder).deviceId());
        assertEquals(folder.resolve("dev-3.pem").toString(), read(dir.resolve("Downloads")).clientCertificate().toString());
    }

    @Test
    void readsTheHttpsDownloadWithoutTakingItsApiUrlsForABroker() throws Exception {
        Path zip = download("dev-4").layout(Layout.HTTPS_DOWNLOAD).writeZip(dir.resolve("dev-4-https-mtls-bundle.zip"), "");

        CredentialBundle bundle = read(zip);

        assertEquals("dev-4", bundle.deviceId());
        assertEquals(zip + "!/dev-4-ca-chain.pem", bundle.caChain().toString());
        assertEquals(Optional.empty(), bundle.endpoints());
    }

    @Test
    void takesTheDeviceIdFromTheCertificatesCnWhenNothingElseNamesIt() throws Exception {
        Path folder = download("dev-5").layout(Layout.ORIGINAL).writeFolder(dir.resolve("bundle"));
        Files.delete(folder.resolve("device_id.txt"));

        CredentialBundle bundle = read(folder);

        assertEquals("dev-5", bundle.deviceId());
        assertEquals("the certificate's CN", bundle.identity().source());
    }

    @Test
    void saysWhichDeviceIdWinsWhenTheBundleDisagreesWithItself() throws Exception {
        Path folder = download("from-name").writeFolder(dir.resolve("bundle"));
        Files.writeString(folder.resolve("device_id.txt"), "from-file\n");

        CredentialBundle bundle = read(folder);

        assertEquals("from-file", bundle.deviceId());
        assertEquals(List.of("the bundle's device ids disagree: device_id.txt says 'from-file', the certificate's file"
                + " name from-name.pem says 'from-name'; using 'from-file' from device_id.txt"), bundle.identity().notes());
    }

    @Test
    void theIdTheUserGaveBeatsTheBundlesAndSaysSo() throws Exception {
        Path zip = download("dev-6").writeZip(dir.resolve("dev-6.zip"), "");

        DeviceId id = CredentialBundleReader.read(BundleLocation.at(zip), Optional.of("given")).identity();

        assertEquals("given", id.value());
        assertEquals(1, id.notes().size());
        assertTrue(id.notes().get(0).endsWith("using 'given' from the id given"), id.notes().get(0));
    }

    @Test
    void aCsrDevicesDownloadSaysItHasNoKeyAndWhy() throws Exception {
        Path zip = download("dev-7").withoutKey().writeZip(dir.resolve("dev-7.zip"), "");

        Failure failure = refusal(zip);

        assertEquals(zip + " has no private key (dev-7.key): the device was enrolled with a CSR and keeps its own"
                + " key, which the platform's download never holds; give the key the device made", failure.getMessage());
        assertEquals(Optional.of(Failure.Input.CLIENT_KEY), failure.input());
    }

    @Test
    void aCsrDevicesDownloadReadsWithTheKeyTheDeviceMade() throws Exception {
        PlatformDownload download = download("dev-8").withoutKey();
        Path zip = download.writeZip(dir.resolve("dev-8.zip"), "");
        Path key = download.writeKey(dir.resolve("device.key"));

        CredentialBundle bundle = CredentialBundleReader.read(BundleLocation.at(zip).withClientKeyFile(key), Optional.empty());

        assertEquals(new FileOrigin.OnDisk(key), bundle.clientKey().origin());
    }

    @Test
    void aFolderOfTwoDevicesReadsWithTheCertificateAndKeyOfOneOfThem() throws Exception {
        Path folder = download("dev-a").writeFolder(dir.resolve("two"));
        download("dev-b").writeFolder(folder);

        CredentialBundle bundle = CredentialBundleReader.read(BundleLocation.at(folder)
                .withClientCertificateFile(folder.resolve("dev-b.pem")).withClientKeyFile(folder.resolve("dev-b.key")),
                Optional.empty());

        assertEquals("dev-b", bundle.deviceId());
        assertEquals("the certificate's CN", bundle.identity().source());
        assertEquals(folder.resolve("ca-chain.pem").toString(), bundle.caChain().toString());
    }

    @Test
    void refusesAFileThatIsNoZip() throws Exception {
        Path notZip = Files.writeString(dir.resolve("bundle.zip"), "this is not a zip\n");

        Failure failure = refusal(notZip);

        assertTrue(failure.getMessage().startsWith(notZip + " is neither a folder nor a zip file"), failure.getMessage());
        assertEquals(Failure.Kind.BUNDLE, failure.kind());
    }

    @Test
    void refusesAnEmptyZip() throws Exception {
        Path empty = PlatformDownload.writeZip(dir.resolve("empty.zip"), Map.of());

        assertEquals(empty + " holds no files", refusal(empty).getMessage());
    }

    @Test
    void refusesAZipWithAnEntryThatEscapesItsFolder() throws Exception {
        Map<String, String> files = download("dev-9").files();
        files.put("../../.bashrc", "echo owned\n");
        Path zip = PlatformDownload.writeZip(dir.resolve("escape.zip"), files);

        assertEquals(zip + " holds an entry that points outside the archive (../../.bashrc): not a bundle to trust",
                refusal(zip).getMessage());
    }

    @Test
    void refusesAnEntryThatEscapesWithWindowsSeparators() throws Exception {
        Path zip = PlatformDownload.writeZip(dir.resolve("windows.zip"), Map.of("dev-12.pem", "x", "..\\..\\evil.bat", "y"));

        assertTrue(refusal(zip).getMessage().startsWith(zip + " holds an entry that points outside the archive"));
    }

    @Test
    void refusesAnEntryLargerThanAnyBundleFileWithoutInflatingIt() throws Exception {
        Path zip = PlatformDownload.writeZipBomb(dir.resolve("bomb.zip"), "dev-10.pem", 2L * 1024 * 1024);

        assertEquals(zip + "!/dev-10.pem is larger than 1024 KiB uncompressed (it says 2097152 bytes): not a file of"
                + " a credential bundle", refusal(zip).getMessage());
    }

    @Test
    void refusesBundleFilesLargerThanAnyBundleTogetherEvenWhenEachFitsAlone() throws Exception {
        String large = "A".repeat(1000 * 1024) + "\n";
        Path zip = PlatformDownload.writeZip(dir.resolve("large.zip"), Map.of("dev-11.pem", large, "dev-11.key", large,
                "ca-chain.pem", large, "endpoints.json", large, "mqtt-broker.pem", large));

        assertEquals(zip + ": its bundle files are larger than 4096 KiB together, uncompressed: not a credential bundle",
                refusal(zip).getMessage());
    }

    @Test
    void listsWhatItFoundWhenNoFileIsADeviceCertificate() throws Exception {
        Path zip = PlatformDownload.writeZip(dir.resolve("other.zip"), Map.of("ca-chain.pem", "x", "notes/a.txt", "y",
                "README.txt", "z"));

        Failure failure = refusal(zip);

        assertTrue(failure.getMessage().startsWith(zip + " holds no device certificate: found "), failure.getMessage());
        assertTrue(failure.getMessage().contains("notes/"), failure.getMessage());
        assertEquals(Optional.of(Failure.Input.CERTS_DIR), failure.input());
    }

    @Test
    void aMissingZipIsNamedAsTheBundle() {
        Failure failure = refusal(dir.resolve("absent.zip"));

        assertEquals("credential bundle " + dir.resolve("absent.zip") + " not found", failure.getMessage());
        assertFalse(failure.getMessage().contains("directory"));
    }
}

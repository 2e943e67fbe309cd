package com.tesaiot.publish.e2e;

import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.testing.bundles.PlatformDownload;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zips no one should trust, given to a run and to {@code bundle import}: each refused with one line naming the zip
 * and exit 3, nothing written. The 1 GiB entry is refused by its declared size, without inflating it.
 */
class BadBundleZipsEndToEndIT {
    private static final long ONE_GIB = 1L << 30;

    @TempDir
    static Path zips;

    private static DevelopmentPki pki;
    /** Made once: deflating 1 GiB of zeros takes seconds. */
    private static Path bomb;

    @BeforeAll
    static void makePkiAndBomb() throws IOException {
        pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        bomb = PlatformDownload.writeZipBomb(zips.resolve("bomb.zip"), "bomb.pem", ONE_GIB);
    }

    private static Map<String, String> download(String deviceId) throws IOException {
        return PlatformDownload.of(DeviceBundle.of(deviceId, pki.issueClient(deviceId, KeyType.EC), pki.caChain(),
                "localhost", 8883), pki.root().certificate()).files();
    }

    /** Each bad zip, and what its one line says after the zip's name. */
    enum BadZip {
        NOT_A_ZIP(" is neither a folder nor a zip file"),
        EMPTY(" holds no files"),
        TWO_DEVICES(" holds the certificates of more than one device (dev-a.pem, dev-b.pem)"),
        ESCAPES_ITS_FOLDER(" holds an entry that points outside the archive (../evil.pem)"),
        ONE_GIB_ENTRY("!/bomb.pem is larger than 1024 KiB uncompressed (it says 1073741824 bytes)");

        final String says;

        BadZip(String says) {
            this.says = says;
        }

        Path write(Path zip) throws IOException {
            switch (this) {
                case NOT_A_ZIP -> Files.writeString(zip, "<html>Session expired, please log in again</html>\n");
                case EMPTY -> PlatformDownload.writeZip(zip, Map.of());
                case TWO_DEVICES -> {
                    Map<String, String> files = new LinkedHashMap<>(download("dev-a"));
                    files.putAll(download("dev-b"));
                    PlatformDownload.writeZip(zip, files);
                }
                case ESCAPES_ITS_FOLDER -> {
                    Map<String, String> files = new LinkedHashMap<>(download("dev-c"));
                    files.put("../evil.pem", "x");
                    PlatformDownload.writeZip(zip, files);
                }
                case ONE_GIB_ENTRY -> Files.copy(bomb, zip);
            }
            return zip;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BadZip.class)
    void aRunRefusesTheZipWithOneLineNamingIt(BadZip bad) throws IOException {
        Path zip = bad.write(zips.resolve("run-" + bad.name().toLowerCase() + ".zip"));

        ToolRun run = ToolRun.run("--certs-dir", zip.toString(), "--once");

        run.assertFailsWithOneLine(3, zip + bad.says);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BadZip.class)
    void importRefusesTheZipAndWritesNothing(BadZip bad) throws IOException {
        Path work = Files.createDirectory(zips.resolve("import-" + bad.name().toLowerCase()));
        Path zip = bad.write(work.resolve("download.zip"));

        ToolRun run = ToolRun.run("bundle", "import", zip.toString(), "--out", work.resolve("certs_credentials").toString());

        run.assertFailsWithOneLine(3, zip + bad.says);
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(List.of(zip), files.toList(), "nothing written beside the zip");
        }
        assertTrue(Files.size(zip) < 16L * 1024 * 1024, "the bomb is small on disk: " + Files.size(zip));
    }
}

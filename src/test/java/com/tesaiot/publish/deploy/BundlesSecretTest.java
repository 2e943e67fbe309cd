package com.tesaiot.publish.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.app.FleetBundles;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The small fleet's way in deploy/README.md: per-device zips from {@code bundle create --devices N --zip} become a
 * Secret with {@code kubectl create secret generic --from-file=DIR} (which takes a folder's files, not its
 * sub-folders), and the fleet reads the Secret's volume as Kubernetes lays it out (each key a link into
 * {@code ..data}).
 */
class BundlesSecretTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void perDeviceZipsMakeASecretOfEveryDeviceWhereDeviceFoldersMakeAnEmptyOne() throws Exception {
        assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl"))),
                "kubectl is not installed");
        Path zips = dir.resolve("zips");
        Path folders = dir.resolve("folders");
        assertEquals(0, ToolRun.run("bundle", "create", "--devices", "3", "--zip", "--out", zips.toString()).exitCode());
        assertEquals(0, ToolRun.run("bundle", "create", "--devices", "3", "--out", folders.toString()).exitCode());

        JsonNode fromZips = secret(zips.resolve("devices"));
        JsonNode fromFolders = secret(folders.resolve("devices"));

        List<String> keys = new ArrayList<>();
        fromZips.path("data").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("device-00001.zip", "device-00002.zip", "device-00003.zip"), keys);
        assertTrue(fromFolders.path("data").isMissingNode() || fromFolders.path("data").isEmpty(),
                "kubectl does not recurse into sub-folders: " + fromFolders);

        Path mounted = mountedAsKubernetesDoes(fromZips);
        List<String> ids = FleetBundles.discover(mounted).stream().map(FleetBundles.Source::label).toList();
        assertEquals(List.of("device-00001", "device-00002", "device-00003"), ids);
        assertTrue(FleetBundles.discover(mounted).stream().allMatch(s -> s.unreadable().isEmpty()));
    }

    private JsonNode secret(Path from) throws Exception {
        Process kubectl = new ProcessBuilder("kubectl", "create", "secret", "generic", "tesaiot-fleet-bundles",
                "--from-file=" + from, "--dry-run=client", "-o", "json").redirectErrorStream(true).start();
        String out = new String(kubectl.getInputStream().readAllBytes());
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, kubectl.exitValue(), out);
        return JSON.readTree(out);
    }

    /** A Secret volume as the kubelet writes it: the files in a timestamped folder, ..data linking to it, each key linking through ..data. */
    private Path mountedAsKubernetesDoes(JsonNode secret) throws Exception {
        Path volume = Files.createDirectories(dir.resolve("bundles"));
        Path version = Files.createDirectories(volume.resolve("..2026_12_01_12_00_00.000000001"));
        Files.createSymbolicLink(volume.resolve("..data"), version.getFileName());
        for (Iterator<Map.Entry<String, JsonNode>> keys = secret.path("data").fields(); keys.hasNext(); ) {
            Map.Entry<String, JsonNode> key = keys.next();
            Files.write(version.resolve(key.getKey()), Base64.getDecoder().decode(key.getValue().asText()));
            Files.createSymbolicLink(volume.resolve(key.getKey()), Path.of("..data", key.getKey()));
        }
        assertFalse(Files.isDirectory(volume.resolve("device-00001.zip")));
        return volume;
    }
}

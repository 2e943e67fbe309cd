package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.testing.brokers.MosquittoBroker;
import com.tesaiot.publish.testing.brokers.MosquittoProcess;
import com.tesaiot.publish.testing.brokers.MosquittoSubscriber;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet made with {@code bundle create --devices} against mosquitto with the platform's per-device ACL (a device
 * may write only device/&lt;its CN&gt;/telemetry): every device's messages on its own topic under its own identity,
 * broken bundles reported exactly, a zipped bundle read like a folder, and shards that together are the whole fleet.
 */
class FleetMosquittoEndToEndIT {
    @RegisterExtension
    static final MosquittoBroker BROKER = new MosquittoBroker();

    private static final int DEVICES = 24;
    private static final String[] SCHEDULE = {"--count", "4", "--interval", "0.05", "--connect-rate", "200", "--seed", "5"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path fleet;

    @BeforeAll
    static void fleetOfDozensAndThreeBrokenBundles() throws Exception {
        fleet = FleetDirectory.create(dir.resolve("fleet"), BROKER.pki(), BROKER.process().port(), DEVICES);
        FleetDirectory.addBrokenBundles(fleet, BROKER.pki(), BROKER.process().port());
        FleetDirectory.zip(fleet, "device-00024"); // a bundle as a zip, as the platform hands them out
    }

    private static ToolRun fleet(Map<String, String> environment, String... more) {
        List<String> args = new ArrayList<>(List.of("fleet", "--bundles", fleet.toString(), "--output", "jsonl"));
        args.addAll(List.of(SCHEDULE));
        args.addAll(List.of(more));
        return ToolRun.run(environment, args.toArray(String[]::new));
    }

    @Test
    void everyDevicePublishesOnItsOwnTopicAsItselfAndTheBrokenBundlesAreReportedExactly() throws Exception {
        ToolRun run = fleet(Map.of());

        run.assertFailsWithOneLine(1, "error: 3 of 27 device(s) could not run (see the summary above)");
        FleetReports reports = FleetReports.of(run);
        assertEquals(new TreeSet<>(FleetDirectory.brokenIds()), reports.refusedIds(), run.err());
        assertEquals(DEVICES, reports.report().get("devices").get("connected").asInt(), run.err());
        assertEquals(DEVICES * 4, reports.report().get("acknowledged").asInt(), run.err());
        assertTrue(run.err().contains("Fleet of 27 device(s): 24 connected, 3 refused"), run.err());
        assertTrue(run.err().contains("refused 1: client_cert.pem expired"), run.err());
        assertTrue(run.err().contains("and this machine's clock disagrees"), run.err());
        for (String placeholder : new String[] {"<check time>", "<bundle>", "<device>"}) {
            assertFalse(run.err().contains(placeholder), "refusals read as sentences, not templates: " + run.err());
        }
        assertTrue(run.err().contains("refused 1: client_key.pem does not match client_cert.pem"), run.err());
        for (JsonNode device : reports.devices()) {
            String id = device.get("device").asText();
            if (FleetDirectory.brokenIds().contains(id)) {
                assertFalse(device.get("connected").asBoolean(), device.toString());
                continue;
            }
            assertEquals(4, device.get("acknowledged").asInt(), device.toString());
            String topic = "device/" + id + "/telemetry";
            // The ACL lets a device write only its own topic: an accepted publish there proves the broker saw its CN.
            List<MosquittoProcess.LoggedPublish> publishes = BROKER.process().publishesFrom(id);
            assertTrue(publishes.size() >= 4, id + ": " + publishes);
            assertTrue(publishes.stream().allMatch(p -> p.topic().equals(topic) && !p.denied()), publishes.toString());
            for (MosquittoSubscriber.Message message : BROKER.subscriber().awaitMessagesOn(topic, 4)) {
                assertEquals(id, JSON.readTree(message.text()).get("device_id").asText());
            }
        }
        assertTrue(BROKER.process().connects().stream().noneMatch(c -> c.clientId().startsWith("broken-")),
                BROKER.process().connects().toString());
    }

    @Test
    void threeShardsRunAsSeparateRunsCoverEveryDeviceOnceAndMergeIntoTheSingleRunsCounts() throws Exception {
        FleetReports whole = FleetReports.of(fleet(Map.of()));
        List<Path> reports = new ArrayList<>();
        List<String> covered = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ToolRun shard = fleet(Map.of(), "--shard", i + "/3");
            FleetReports shardReports = FleetReports.of(shard);
            covered.addAll(shardReports.deviceIds());
            reports.add(Files.writeString(dir.resolve("shard-" + i + ".json"), shard.out()));
        }
        assertEquals(27, covered.size(), covered.toString());
        assertEquals(whole.deviceIds(), new TreeSet<>(covered));

        ToolRun merged = ToolRun.run("fleet", "merge", reports.get(0).toString(), reports.get(1).toString(),
                reports.get(2).toString());

        assertEquals(1, merged.exitCode(), merged.err()); // the broken bundles stay refused
        FleetReports mergedReport = new FleetReports(List.of(), JSON.readTree(merged.out()));
        assertEquals(whole.counts(), mergedReport.counts(), merged.out());
        assertEquals(whole.refusedIds(), mergedReport.refusedIds());
        assertEquals(List.of("1/3", "2/3", "3/3"), JSON.convertValue(mergedReport.report().get("shards"), List.class));
    }

    @Test
    void podsOfAnIndexedJobTakeTheirShardFromJobCompletionIndex() throws Exception {
        Set<String> covered = new TreeSet<>();
        int total = 0;
        List<String> reports = new ArrayList<>();
        for (int index = 0; index < 2; index++) {
            ToolRun pod = fleet(Map.of("JOB_COMPLETION_INDEX", String.valueOf(index)), "--shards", "2");
            FleetReports podReports = FleetReports.of(pod);
            assertEquals(List.of((index + 1) + "/2"), JSON.convertValue(podReports.report().get("shards"), List.class));
            covered.addAll(podReports.deviceIds());
            total += podReports.deviceIds().size();
            // A pod's whole log will do for merging: its last JSON line is the report.
            reports.add(Files.writeString(dir.resolve("pod-" + index + ".log"), pod.err() + pod.out()).toString());
        }
        assertEquals(27, total);
        assertEquals(27, covered.size());

        ToolRun merged = ToolRun.run("fleet", "merge", reports.get(0), reports.get(1));
        assertEquals(DEVICES * 4, JSON.readTree(merged.out()).get("acknowledged").asInt(), merged.err());
    }

    @Test
    void devicesWithEncryptedKeysAreRefusedWithTheFixAndRunWithTheKeysPassword() throws Exception {
        Path encrypted = Files.createDirectories(dir.resolve("encrypted-fleet"));
        for (String id : List.of("locked-1", "locked-2")) {
            Path bundle = BROKER.bundle(id, KeyType.RSA, PrivateKeyFormat.ENCRYPTED_PKCS8, "fleet secret".toCharArray());
            Files.move(bundle, encrypted.resolve(id));
        }
        String[] args = {"fleet", "--bundles", encrypted.toString(), "--count", "2", "--interval", "0", "--output", "json"};

        ToolRun locked = ToolRun.run(args);
        locked.assertFailsWithOneLine(3, "no usable bundle");
        assertTrue(locked.errorLine().contains("give the keys' password with KEY_PASSWORD (or --key-password)"),
                locked.err());

        ToolRun unlocked = ToolRun.run(Map.of("KEY_PASSWORD", "fleet secret"), args);
        assertEquals(0, unlocked.exitCode(), unlocked.err());
        assertEquals(4, JSON.readTree(unlocked.out()).get("acknowledged").asInt(), unlocked.out());
        assertFalse(unlocked.err().contains("fleet secret") || locked.err().contains("fleet secret"), "never printed");
    }
}

package com.tesaiot.publish.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetReportTest {

    @Test
    void shardReportsMergeIntoTheReportOfTheWholeFleetWithTheP99OfEveryAcknowledgement() {
        Random random = new Random(3);
        LatencyHistogram all = new LatencyHistogram();
        LatencyHistogram fast = new LatencyHistogram();
        LatencyHistogram slow = new LatencyHistogram();
        for (int i = 0; i < 990; i++) {
            long nanos = 1_000_000 + random.nextInt(1_000_000);
            fast.record(nanos);
            all.record(nanos);
        }
        for (int i = 0; i < 10; i++) {
            long nanos = 500_000_000 + random.nextInt(1_000_000);
            slow.record(nanos);
            all.record(nanos);
        }
        FleetReport first = report("1/2", 10, 9, Map.of("d-3", "certificate expired"), fast);
        FleetReport second = report("2/2", 10, 8, Map.of("d-14", "certificate expired", "d-17", "not authorised"), slow);

        FleetReport merged = FleetReport.merge(List.of(FleetReport.fromJson(first.json()), FleetReport.fromJson(second.json())));

        assertEquals(List.of("1/2", "2/2"), merged.shards());
        assertEquals(20, merged.devices());
        assertEquals(17, merged.connected());
        assertEquals(List.of(new FleetReport.Refusal("certificate expired", List.of("d-14", "d-3")),
                new FleetReport.Refusal("not authorised", List.of("d-17"))), merged.refusals());
        assertEquals(first.sent() + second.sent(), merged.sent());
        assertEquals(1000, merged.ackLatencies().count());
        // The slow shard's 1 % is the fleet's p99 tail: merged exactly, not averaged (average would be about 250 ms).
        assertEquals(all.percentileNanos(0.99), merged.ackLatencies().percentileNanos(0.99));
        assertEquals(all.percentileNanos(0.50), merged.ackLatencies().percentileNanos(0.50));
        assertEquals(all.maxNanos(), merged.ackLatencies().maxNanos());
        assertEquals(Duration.ofSeconds(12), merged.elapsed());
        assertFalse(merged.ok());
        assertEquals(List.of(), merged.missingShards());
    }

    @Test
    void aReportCarriesItsPlanAndShardsOfOnePlanAgreeOnTheRunIdWithoutTalkingToEachOther() {
        FleetReport.Plan plan = FleetReport.fromJson(report("2/2", 10, 10, Map.of(), new LatencyHistogram()).json()).plan();
        assertEquals(new FleetReport.Plan(20, 2, 5, 100, Duration.ofSeconds(1), plan.runId()), plan);
        assertEquals(FleetReport.Plan.of(20, 2, 5, 100, Duration.ofSeconds(1)).runId(), plan.runId());
        FleetReport.Plan otherSeed = FleetReport.Plan.of(20, 2, 6, 100, Duration.ofSeconds(1));
        assertFalse(plan.runId().equals(otherSeed.runId()));
        assertEquals(List.of("seed 5 vs 6"), plan.differencesFrom(otherSeed));
        assertEquals(List.of("interval 1 s vs 0.5 s"),
                plan.differencesFrom(FleetReport.Plan.of(20, 2, 5, 100, Duration.ofMillis(500))));
    }

    @Test
    void aMergeOfSomeShardsListsTheMissingOnesAndIsNotOk() {
        FleetReport first = report("1/2", 10, 10, Map.of(), new LatencyHistogram());
        FleetReport merged = FleetReport.merge(List.of(FleetReport.fromJson(first.json())));
        assertEquals(List.of("2/2"), merged.missingShards());
        assertFalse(merged.ok());
        assertTrue(merged.json().contains("\"missing_shards\":[\"2/2\"]"), merged.json());
        assertTrue(merged.lines().stream().anyMatch(l -> l.contains("missing 1 of 2 shard(s): 2/2")), merged.lines().toString());
        assertEquals(List.of("2/2"), FleetReport.fromJson(merged.json()).missingShards());
    }

    @Test
    void theSummarySaysWhichDevicesWereRefusedForWhichCause() {
        FleetReport report = report("", 5, 2, Map.of("d-1", "expired", "d-2", "expired", "d-3", "expired",
                "d-4", "expired", "d-5", "unknown CA"), new LatencyHistogram());
        List<String> lines = report.lines();
        assertTrue(lines.get(0).contains("Fleet of 5 device(s): 2 connected, 5 refused"), lines.toString());
        assertEquals("  refused 4: expired (d-1, d-2, d-3, ...)", lines.get(1));
        assertEquals("  refused 1: unknown CA (d-5)", lines.get(2));
    }

    @Test
    void readingsNeverSentAreCountedSoThatTheFatesAddUpToThePlan() throws Exception {
        // 3 000 planned; the broker went away after 950 were sent, 924 of them acknowledged.
        FleetReport report = new FleetReport(FleetReport.Plan.of(30, 1, 5, 100, Duration.ofSeconds(1)), List.of(), List.of(),
                30, 30, List.of(), 3000, 950, 924, 0, 26, 0, 1, Duration.ofSeconds(20), new LatencyHistogram(),
                new LatencyHistogram(), 30, 1 << 20, false);

        assertTrue(report.lines().stream().anyMatch(l -> l.startsWith("Sent 950/3000, acknowledged 924, failed 26,"
                + " never sent 2050, ")), report.lines().toString());
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.json());
        assertEquals(2050, json.get("never_sent").asLong());
        assertEquals(json.get("planned").asLong(), json.get("acknowledged").asLong() + json.get("sent_unacknowledged").asLong()
                + json.get("failed").asLong() + json.get("never_sent").asLong());
        assertFalse(report.ok());
    }

    @Test
    void refusesJsonThatIsNotAFleetReport() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetReport.fromJson("{\"ok\":true,\"sent\":3}"))
                .getMessage().contains("not a fleet report"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetReport.fromJson("Sent 3/3"))
                .getMessage().contains("not JSON"));
        String withoutPlan = report("1/1", 1, 1, Map.of(), new LatencyHistogram()).json().replace("\"plan\":", "\"plan_\":");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetReport.fromJson(withoutPlan))
                .getMessage().contains("\"plan\""));
        String withoutCounts = report("1/1", 1, 1, Map.of(), new LatencyHistogram()).json().replace("\"sent\":", "\"sent_\":");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetReport.fromJson(withoutCounts))
                .getMessage().contains("\"sent\" is missing"));
    }

    private static FleetReport report(String shard, long devices, long connected, Map<String, String> refused,
            LatencyHistogram acks) {
        LatencyHistogram connects = new LatencyHistogram();
        connects.record(40_000_000);
        return new FleetReport(FleetReport.Plan.of(20, shard.isEmpty() ? 1 : 2, 5, 100, Duration.ofSeconds(1)),
                shard.isEmpty() ? List.of() : List.of(shard), List.of(), devices, connected,
                FleetReport.group(new java.util.TreeMap<>(refused)), devices * 100, connected * 100, acks.count(), 0, 0, 0,
                0, Duration.ofSeconds(shard.startsWith("2") ? 12 : 10), connects, acks, 40, 50_000_000, false);
    }

    @Test
    void aFleetAtQosZeroWhoseEveryReadingWasSentIsOkWithoutAcknowledgingAny() throws Exception {
        FleetReport report = new FleetReport(FleetReport.Plan.of(2, 1, 5, 3, Duration.ofSeconds(1)), List.of(), List.of(),
                2, 2, List.of(), 6, 6, 0, 6, 0, 0, 0, Duration.ofSeconds(1), new LatencyHistogram(),
                new LatencyHistogram(), 30, 1 << 20, false);

        assertTrue(report.ok(), report.json());
        assertTrue(report.lines().stream().anyMatch(l -> l.startsWith("Sent 6/6, 6 at QoS 0 (not acknowledged by design)")),
                report.lines().toString());
        FleetReport read = FleetReport.fromJson(report.json());
        assertEquals(6, read.sentUnacknowledged());
        assertEquals("report", new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.json()).get("type").asText());
    }
}

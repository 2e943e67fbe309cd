package com.tesaiot.publish.e2e;

import com.tesaiot.publish.testing.brokers.MutualTlsBroker;
import com.tesaiot.publish.testing.brokers.ReceivedPublish;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fleet --start-at}: three shards, started apart, begin their readings together at the given instant. */
class FleetStartAtEndToEndIT {
    @RegisterExtension
    static final MutualTlsBroker BROKER = MutualTlsBroker.builder().build();

    private static final int SHARDS = 3;
    private static final int DEVICES = 6;
    private static final Duration TOGETHER = Duration.ofMillis(100);

    @TempDir
    Path dir;

    @Test
    void threeShardsBeginTheirFirstReadingsWithinAHundredMillisecondsOfEachOtherAtTheStartTime() throws Exception {
        Path fleet = FleetDirectory.create(dir.resolve("fleet"), BROKER.pki(), BROKER.port(), DEVICES);
        BROKER.clear();
        // Far enough ahead for three shards to prepare and connect on a busy 2-core machine (at load 30 with a cold
        // JIT, 20 s was once not enough); whole seconds, as a user gives it.
        Instant startAt = Instant.now().plusSeconds(45).truncatedTo(ChronoUnit.SECONDS);
        List<CompletableFuture<ToolRun>> shards = new ArrayList<>();
        for (int shard = 1; shard <= SHARDS; shard++) {
            String[] args = {"fleet", "--bundles", fleet.toString(), "--shard", shard + "/" + SHARDS, "--count", "2",
                    "--interval", "1", "--connect-rate", "50", "--start-at", startAt.toString()};
            shards.add(CompletableFuture.supplyAsync(() -> ToolRun.run(args)));
        }

        Map<String, Instant> firstArrival = firstArrivals(DEVICES, startAt.plusSeconds(30));
        for (CompletableFuture<ToolRun> shard : shards) {
            ToolRun result = shard.get(90, TimeUnit.SECONDS);
            assertEquals(0, result.exitCode(), result.err());
            assertFalse(result.err().contains("after the start time"), result.err());
        }

        // Each shard's first device (offset 0) reads at the start time; its second, half an interval later.
        List<Instant> shardStarts = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            Instant first = firstArrival.get(String.format("device-%05d", 2 * shard + 1));
            shardStarts.add(first);
            assertFalse(first.isBefore(startAt), "shard " + (shard + 1) + " began before " + startAt + ": " + first);
        }
        Instant earliest = shardStarts.stream().min(Instant::compareTo).orElseThrow();
        Instant latest = shardStarts.stream().max(Instant::compareTo).orElseThrow();
        assertTrue(Duration.between(earliest, latest).compareTo(TOGETHER) <= 0,
                "first readings at " + shardStarts + " for a start at " + startAt);
        // At the instant, not an interval later (how soon after it depends on how busy the machine is: 40-140 ms
        // from the tick to the broker's list at load 30 on 2 cores).
        assertTrue(Duration.between(startAt, latest).compareTo(Duration.ofMillis(500)) < 0,
                "first readings at " + shardStarts + " for a start at " + startAt);
    }

    /**
     * When the broker first held a reading of each of {@code devices} clients, watched every millisecond (the
     * test broker keeps what it received, not when).
     */
    private static Map<String, Instant> firstArrivals(int devices, Instant giveUp) throws InterruptedException {
        Map<String, Instant> first = new HashMap<>();
        while (first.size() < devices && Instant.now().isBefore(giveUp)) {
            Instant now = Instant.now();
            for (ReceivedPublish publish : BROKER.publishes()) {
                first.putIfAbsent(publish.clientId(), now);
            }
            // A poll, not a wait for a condition: what is measured is the moment each reading appears.
            TimeUnit.MILLISECONDS.sleep(1);
        }
        assertEquals(devices, first.size(), "readings arrived from " + first.keySet());
        return first;
    }
}

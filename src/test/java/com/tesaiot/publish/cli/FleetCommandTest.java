package com.tesaiot.publish.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.report.FleetReport;
import com.tesaiot.publish.report.LatencyHistogram;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to {@code fleet} and {@code fleet merge}: one line, its exit code, and nothing started. */
class FleetCommandTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryHoldsNoUsableBundle() {
        ToolRun.run("fleet", "--bundles", dir.toString()).assertFailsWithOneLine(3, "holds no bundle");
    }

    @Test
    void aMissingDirectoryHoldsNoUsableBundleAsAMissingCertsDirDoes() {
        ToolRun.run("fleet", "--bundles", dir.resolve("nowhere").toString()).assertFailsWithOneLine(3, "not found");
        ToolRun.run("--certs-dir", dir.resolve("nowhere").toString(), "--once").assertFailsWithOneLine(3, "not found");
    }

    @Test
    void aDirectoryWithoutAUsableBundleIsABundleError() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        ToolRun.run("fleet", "--bundles", dir.toString()).assertFailsWithOneLine(3, "holds no usable bundle");
    }

    @Test
    void twoBundlesWithTheSameDeviceIdAreRefusedBeforeAnythingStarts() throws IOException {
        for (String name : new String[] {"first", "second"}) {
            Files.writeString(Files.createDirectories(dir.resolve(name)).resolve("device_id.txt"), "twin\n");
        }
        ToolRun run = ToolRun.run("fleet", "--bundles", dir.toString());
        run.assertFailsWithOneLine(3, "two bundles have device id 'twin'");
        assertTrue(run.errorLine().contains("first") && run.errorLine().contains("second"), run.err());
    }

    @Test
    void shardsThatDoNotExistAreUsageErrors() {
        ToolRun.run("fleet", "--bundles", dir.toString(), "--shard", "3/2").assertFailsWithOneLine(2, "shard 3 of 2 does not exist");
        ToolRun.run("fleet", "--bundles", dir.toString(), "--shard", "0/0").assertFailsWithOneLine(2, "at least 1 shard");
    }

    @Test
    void shardsNeedThePodsIndexAndAnIndexNeedsShards() {
        ToolRun.run("fleet", "--bundles", dir.toString(), "--shards", "3")
                .assertFailsWithOneLine(2, "needs the pod's index: JOB_COMPLETION_INDEX");
        ToolRun.run(Map.of("JOB_COMPLETION_INDEX", "3"), "fleet", "--bundles", dir.toString(), "--shards", "3")
                .assertFailsWithOneLine(2, "JOB_COMPLETION_INDEX=3 is not within 0..2");
        ToolRun.run(Map.of("JOB_COMPLETION_INDEX", "1"), "fleet", "--bundles", dir.toString())
                .assertFailsWithOneLine(2, "give --shards N");
    }

    @Test
    void aScenarioMixThatDoesNotParseOrAddsUpToZeroIsAUsageError() {
        ToolRun.run("fleet", "--bundles", dir.toString(), "--scenario-mix", "normal=0,fever=0")
                .assertFailsWithOneLine(2, "add up to 0");
        ToolRun.run("fleet", "--bundles", dir.toString(), "--scenario-mix", "normal:90")
                .assertFailsWithOneLine(2, "is not name=weight");
    }

    @Test
    void mergeRefusesAFileThatIsNotAFleetReport() throws IOException {
        Path summary = Files.writeString(dir.resolve("single.json"), "{\"ok\":true,\"planned\":1}\n");
        ToolRun run = ToolRun.run("fleet", "merge", summary.toString());
        run.assertFailsWithOneLine(2, "single.json is not a fleet report");
        assertEquals("", run.out());
        ToolRun.run("fleet", "merge", dir.resolve("absent.json").toString()).assertFailsWithOneLine(2, "not found");
    }

    @Test
    void theFleetTakesEveryDeliveryFlagThePublishRunTakes() {
        ToolRun help = ToolRun.run("fleet", "--help");

        assertEquals(0, help.exitCode(), help.err());
        for (String flag : new String[] {"--qos", "--topic", "--outbox", "--stall-timeout", "--delivery-timeout",
                "--max-inflight", "--period", "--once", "--key-password"}) {
            assertTrue(help.out().contains(flag), flag + " missing from fleet --help:\n" + help.out());
        }
    }

    @Test
    void aPeriodTheSingleRunRefusesIsRefusedByTheFleetInTheSameWords() {
        ToolRun.run("fleet", "--bundles", dir.toString(), "--period", "1e15")
                .assertFailsWithOneLine(2, "--period must be at most a year (525600 minutes), not 1000000000000000");
        ToolRun.run("--period", "1e15").assertFailsWithOneLine(2, "--period must be at most a year (525600 minutes), not 1000000000000000");
    }

    @Test
    void mergeRefusesReportsOfDifferentRunsNamingWhatDiffers() throws IOException {
        Path first = shardReport("a.json", 1, 2, 5, 10);
        Path otherSeed = shardReport("b.json", 2, 2, 6, 10);
        ToolRun run = ToolRun.run("fleet", "merge", first.toString(), otherSeed.toString());
        run.assertFailsWithOneLine(2, "are reports of different runs (seed 5 vs 6;");
        assertEquals("", run.out());
        Path otherCount = shardReport("c.json", 2, 2, 5, 11);
        ToolRun.run("fleet", "merge", first.toString(), otherCount.toString()).assertFailsWithOneLine(2, "count 10 vs 11");
    }

    @Test
    void mergeRefusesAWholeFleetsReportBesideAShardsReport() throws IOException {
        Path whole = report("whole.json", FleetReport.Plan.of(6, 1, 5, 10, Duration.ofSeconds(1)), List.of(), 6);
        Path shard = shardReport("s.json", 1, 3, 5, 10);
        ToolRun.run("fleet", "merge", whole.toString(), shard.toString())
                .assertFailsWithOneLine(2, "whole.json is the report of a whole fleet, not of a shard");
        ToolRun.run("fleet", "merge", shard.toString(), whole.toString())
                .assertFailsWithOneLine(2, "whole.json is the report of a whole fleet, not of a shard");
    }

    @Test
    void mergeRefusesTheSameShardTwice() throws IOException {
        Path shard = shardReport("s.json", 1, 2, 5, 10);
        Path again = Files.copy(shard, dir.resolve("copy.json"));
        ToolRun.run("fleet", "merge", shard.toString(), again.toString())
                .assertFailsWithOneLine(2, "shard 1/2 is in both");
    }

    @Test
    void mergeOfOneShardOfThreeFailsNamingTheMissingShardsUnlessPartialIsAllowed() throws IOException {
        Path one = shardReport("one.json", 1, 3, 5, 10);

        ToolRun run = ToolRun.run("fleet", "merge", one.toString());

        run.assertFailsWithOneLine(1, "no report for shard(s) 2/3, 3/3 of 3");
        assertTrue(run.out().contains("\"ok\":false") && run.out().contains("\"missing_shards\":[\"2/3\",\"3/3\"]"),
                run.out());
        ToolRun partial = ToolRun.run("fleet", "merge", "--allow-partial", one.toString());
        assertEquals(0, partial.exitCode(), partial.err());
        assertTrue(partial.out().contains("\"missing_shards\":[\"2/3\",\"3/3\"]"), partial.out());
        assertTrue(partial.err().contains("no report for shard 2/3"), partial.err());
    }

    @Test
    void aShardThatFailedBeforeItsReportLeavesAFileMergeCountsAsTheMissingShard() throws IOException {
        // A pod's shell sends the fleet's stdout to the report file whatever happens: with --output json a fleet that
        // fails first prints its failure there instead of a report; an older or killed one leaves it empty.
        ToolRun failed = ToolRun.run("fleet", "--bundles", dir.resolve("nowhere").toString(), "--output", "json");
        failed.assertFailsWithOneLine(3, "not found");
        JsonNode failure = new ObjectMapper().readTree(failed.out());
        assertEquals(false, failure.get("ok").asBoolean());
        assertEquals(3, failure.get("exit_code").asInt());
        Path failedShard = Files.writeString(dir.resolve("shard-1.json"), failed.out());
        Path emptyShard = Files.writeString(dir.resolve("shard-2.json"), "");
        Path one = shardReport("shard-0.json", 1, 3, 5, 10);

        ToolRun run = ToolRun.run("fleet", "merge", one.toString(), failedShard.toString(), emptyShard.toString());

        run.assertFailsWithOneLine(1, "no report for shard(s) 2/3, 3/3 of 3");
        assertTrue(run.err().contains("shard-1.json holds no report: its shard failed before it could write one (exit 3: "),
                run.err());
        assertTrue(run.err().contains("shard-2.json is empty: its shard wrote no report"), run.err());
        ToolRun.run("fleet", "merge", emptyShard.toString()).assertFailsWithOneLine(2, "none of 1 file(s) holds a fleet report");
    }

    @Test
    void anOutboxFolderThatCannotBeMadeFailsTheRunAsALocalFileAsForASingleRun() throws IOException {
        ToolRun made = ToolRun.run("bundle", "create", "--devices", "2", "--out", dir.resolve("fleet").toString());
        assertEquals(0, made.exitCode(), made.err());
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");

        ToolRun run = ToolRun.run("fleet", "--bundles", dir.resolve("fleet/devices").toString(), "--once",
                "--outbox", file.toString());

        run.assertFailsWithOneLine(74, "cannot use outbox " + file);
        assertFalse(run.err().contains("the device"), run.err());
    }

    @Test
    void aShardDisagreeingWithThePodsJobCompletionIndexIsAUsageError() {
        ToolRun.run(Map.of("JOB_COMPLETION_INDEX", "2"), "fleet", "--bundles", dir.toString(), "--shards", "3",
                "--shard", "1/3").assertFailsWithOneLine(2, "--shard 1/3 disagrees with JOB_COMPLETION_INDEX=2 (shard 3/3)");
        ToolRun.run(Map.of("JOB_COMPLETION_INDEX", "2"), "fleet", "--bundles", dir.toString(), "--shard", "1/3")
                .assertFailsWithOneLine(2, "--shard 1/3 disagrees with JOB_COMPLETION_INDEX=2");
    }

    @Test
    void aBadJobCompletionIndexIsNamedByItsVariableNotByAHiddenFlag() {
        ToolRun run = ToolRun.run(Map.of("JOB_COMPLETION_INDEX", "two"), "fleet", "--bundles", dir.toString(),
                "--shards", "3");
        run.assertFailsWithOneLine(2, "JOB_COMPLETION_INDEX");
        assertFalse(run.err().contains("--job-completion-index"), run.err());
    }

    /** Shard {@code index} of {@code shards} of a 6-device fleet whose devices each sent all {@code count}. */
    private Path shardReport(String name, int index, int shards, long seed, long count) throws IOException {
        return report(name, FleetReport.Plan.of(6, shards, seed, count, Duration.ofSeconds(1)),
                List.of(index + "/" + shards), 6 / shards);
    }

    private Path report(String name, FleetReport.Plan plan, List<String> shards, long devices) throws IOException {
        long messages = devices * plan.count();
        FleetReport report = new FleetReport(plan, shards, List.of(), devices, devices, List.of(), messages, messages,
                messages, 0, 0, 0, 0, Duration.ofSeconds(1), new LatencyHistogram(), new LatencyHistogram(), 30, 1 << 20,
                false);
        return Files.writeString(dir.resolve(name), report.json() + "\n");
    }
}

package com.tesaiot.publish.cli;

import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to {@code fleet} and {@code fleet merge}: one line, its exit code, and nothing started. */
class FleetCommandTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryIsAUsageError() {
        ToolRun.run("fleet", "--bundles", dir.toString()).assertFailsWithOneLine(2, "holds no bundle");
    }

    @Test
    void aMissingDirectoryIsAUsageError() {
        ToolRun.run("fleet", "--bundles", dir.resolve("nowhere").toString()).assertFailsWithOneLine(2, "not found");
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
}

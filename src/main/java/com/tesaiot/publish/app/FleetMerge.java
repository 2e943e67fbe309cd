package com.tesaiot.publish.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.report.FleetReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code fleet merge}: the JSON reports of a fleet's shards combined into one, as if one process had run every
 * device. Refuses anything that would count a device twice or mix runs: a file that is not such a report, reports
 * of different plans (another seed, count, interval, fleet size or number of shards), a shard given twice, and the
 * report of a whole (unsharded) fleet beside any other. Says which shards of the plan no report covers, among them
 * those whose file holds no report because the shard failed first.
 */
public final class FleetMerge {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetMerge() {
    }

    /** The merged report (its missing shards listed in it), and a note for each missing shard. */
    public record Merged(FleetReport report, List<String> notes) {
    }

    public static Merged merge(List<Path> files) throws Failure {
        List<FleetReport> reports = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Path> shardsSeen = new HashMap<>();
        Path first = null;
        for (Path file : files) {
            Optional<FleetReport> read = read(file, notes);
            if (read.isEmpty()) {
                continue;
            }
            FleetReport report = read.get();
            if (report.shards().isEmpty() && files.size() > 1) {
                throw new Failure(Failure.Kind.USAGE, file + " is the report of a whole fleet, not of a shard: merged"
                        + " with " + (first != null ? first : files.get(1)) + " its devices would count twice");
            }
            if (first != null) {
                List<String> differences = reports.get(0).plan().differencesFrom(report.plan());
                if (!differences.isEmpty()) {
                    throw new Failure(Failure.Kind.USAGE, first + " and " + file + " are reports of different runs ("
                            + String.join(", ", differences) + "; run ids " + reports.get(0).plan().runId() + " and "
                            + report.plan().runId() + "): merge the reports of one run, whose shards were all given"
                            + " the same --seed, --count and --interval");
                }
            }
            for (String shard : report.shards()) {
                checkedShard(file, shard, report.plan());
                Path earlier = shardsSeen.putIfAbsent(shard, file);
                if (earlier != null) {
                    throw new Failure(Failure.Kind.USAGE, "shard " + shard + " is in both " + earlier + " and " + file
                            + ": its devices would count twice");
                }
            }
            reports.add(report);
            first = first == null ? file : first;
        }
        if (reports.isEmpty()) {
            throw new Failure(Failure.Kind.USAGE, "none of " + files.size() + " file(s) holds a fleet report: "
                    + String.join("; ", notes));
        }
        FleetReport merged = FleetReport.merge(reports);
        merged.missingShards().forEach(s -> notes.add("no report for shard " + s
                + ": its devices are not in the merged report"));
        return new Merged(merged, List.copyOf(notes));
    }

    /** A shard the report names must be one of its plan's: else its counts belong to no slice of this fleet. */
    private static void checkedShard(Path file, String shard, FleetReport.Plan plan) throws Failure {
        try {
            if (Shard.parse(shard).count() == plan.shards()) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // Named below, as any shard that is not one of the plan's.
        }
        throw new Failure(Failure.Kind.USAGE, file + " names shard '" + shard + "', which is not one of its plan's "
                + plan.shards() + " shards: not a report fleet wrote");
    }

    /**
     * The report in {@code file}; empty, with a note, for a file a shard left without one: nothing in it (a pod's
     * output file stays empty when the fleet failed before its report), or the one-line failure JSON a fleet prints
     * instead. Its shard is then one of the missing.
     */
    private static Optional<FleetReport> read(Path file, List<String> notes) throws Failure {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Failure(Failure.Kind.USAGE, "report " + file + " not found");
        } catch (IOException e) {
            throw new Failure(Failure.Kind.USAGE, "cannot read report " + file + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            notes.add(file + " is empty: its shard wrote no report (see its log)");
            return Optional.empty();
        }
        // A pod's log may hold progress lines around the report: its last JSON line is the report.
        Optional<String> last = text.lines().map(String::strip).filter(l -> l.startsWith("{")).reduce((a, b) -> b);
        Optional<String> failure = last.flatMap(FleetMerge::failureOfARun);
        if (failure.isPresent()) {
            notes.add(file + " holds no report: its shard failed before it could write one (" + failure.get() + ")");
            return Optional.empty();
        }
        try {
            return Optional.of(FleetReport.fromJson(last.orElse(text)));
        } catch (IllegalArgumentException e) {
            throw new Failure(Failure.Kind.USAGE, file + " is not a fleet report: " + e.getMessage());
        }
    }

    /** The error of the JSON a failed run prints instead of its report, {"type":"summary","ok":false,...}. */
    private static Optional<String> failureOfARun(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node.path("type").asText().equals("summary") && node.path("ok").isBoolean()
                    && !node.path("ok").asBoolean() && node.has("exit_code") && !node.has("planned")
                    ? Optional.of("exit " + node.path("exit_code").asInt() + ": " + node.path("error").asText())
                    : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}

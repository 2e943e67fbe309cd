package com.tesaiot.publish.app;

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
import java.util.TreeSet;

/**
 * {@code fleet merge}: the JSON reports of a fleet's shards combined into one, as if one process had run every
 * device. Refuses anything that is not such a report, and a shard given twice; says which shards are missing.
 */
public final class FleetMerge {
    private FleetMerge() {
    }

    /** The merged report, and a note for each shard of the fleet that no report covers. */
    public record Merged(FleetReport report, List<String> notes) {
    }

    public static Merged merge(List<Path> files) throws Failure {
        List<FleetReport> reports = new ArrayList<>();
        Map<String, Path> shardsSeen = new HashMap<>();
        TreeSet<Integer> shardCounts = new TreeSet<>();
        for (Path file : files) {
            FleetReport report = read(file);
            for (String shard : report.shards()) {
                Path earlier = shardsSeen.putIfAbsent(shard, file);
                if (earlier != null) {
                    throw new Failure(Failure.Kind.USAGE, "shard " + shard + " is in both " + earlier + " and " + file
                            + ": its devices would count twice");
                }
                shardCounts.add(Shard.parse(shard).count());
            }
            reports.add(report);
        }
        if (shardCounts.size() > 1) {
            throw new Failure(Failure.Kind.USAGE, "these reports cut the fleet into different numbers of shards ("
                    + shardCounts + "): merge the reports of one run");
        }
        List<String> notes = new ArrayList<>();
        if (shardCounts.size() == 1) {
            int count = shardCounts.first();
            for (int i = 1; i <= count; i++) {
                if (!shardsSeen.containsKey(i + "/" + count)) {
                    notes.add("no report for shard " + i + "/" + count + ": its devices are not in the merged report");
                }
            }
        }
        return new Merged(FleetReport.merge(reports), notes);
    }

    private static FleetReport read(Path file) throws Failure {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Failure(Failure.Kind.USAGE, "report " + file + " not found");
        } catch (IOException e) {
            throw new Failure(Failure.Kind.USAGE, "cannot read report " + file + ": " + e.getMessage(), e);
        }
        // A pod's log may hold progress lines around the report: its last JSON line is the report.
        Optional<String> last = text.lines().map(String::strip).filter(l -> l.startsWith("{")).reduce((a, b) -> b);
        try {
            return FleetReport.fromJson(last.orElse(text));
        } catch (IllegalArgumentException e) {
            throw new Failure(Failure.Kind.USAGE, file + " is not a fleet report: " + e.getMessage());
        }
    }
}

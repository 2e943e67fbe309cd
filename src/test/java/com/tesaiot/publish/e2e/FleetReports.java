package com.tesaiot.publish.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.testing.tool.ToolRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads what {@code fleet --output jsonl} printed: a line per device, then the report. */
record FleetReports(List<JsonNode> devices, JsonNode report) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static FleetReports of(ToolRun run) {
        try {
            List<String> lines = run.outLines();
            List<JsonNode> devices = new java.util.ArrayList<>();
            for (String line : lines.subList(0, lines.size() - 1)) {
                devices.add(JSON.readTree(line));
            }
            return new FleetReports(devices, JSON.readTree(lines.get(lines.size() - 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Set<String> deviceIds() {
        Set<String> ids = new TreeSet<>();
        devices.forEach(d -> ids.add(d.get("device").asText()));
        return ids;
    }

    Set<String> refusedIds() {
        Set<String> ids = new TreeSet<>();
        report.get("refusals").forEach(r -> r.get("devices").forEach(d -> ids.add(d.asText())));
        return ids;
    }

    /** The counts a merged report must reproduce. */
    List<Long> counts() {
        JsonNode d = report.get("devices");
        return List.of(d.get("total").asLong(), d.get("connected").asLong(), d.get("refused").asLong(),
                report.get("planned").asLong(), report.get("sent").asLong(), report.get("acknowledged").asLong(),
                report.get("histograms").get("ack_latency").get("count").asLong(),
                report.get("histograms").get("connect").get("count").asLong());
    }
}

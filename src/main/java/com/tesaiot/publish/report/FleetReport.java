package com.tesaiot.publish.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a fleet did: devices connected and refused (refusals grouped by cause), message counts, connect times and
 * acknowledgement latencies as histograms, and what the process needed. Its JSON holds the histograms themselves,
 * so the reports of a fleet's shards {@link #merge} into exactly the report one process would have written.
 *
 * @param plan          the run this report is of: the same for every shard of one run, so merging can tell
 * @param shards        the shards this report covers ("2/3"); empty for a fleet run whole
 * @param missingShards merged: the shards of the plan no report covered; empty for a run's own report
 * @param devices       devices in the fleet (or shard), refused ones included
 * @param elapsed       from the first connect to the last acknowledgement; merged: the longest shard's
 * @param peakThreads   the most threads the process ran at once; merged: the most of any shard's process
 */
public record FleetReport(Plan plan, List<String> shards, List<String> missingShards, long devices, long connected, List<Refusal> refusals, long planned,
        long sent, long acknowledged, long sentUnacknowledged, long failed, long redelivered, long reconnects, Duration elapsed,
        LatencyHistogram connectTimes, LatencyHistogram ackLatencies, long peakThreads, long peakHeapBytes,
        boolean interrupted) {

    /** What a JSON report says it is, so that {@code fleet merge} takes nothing else. */
    public static final String KIND = "tesaiot-publish fleet report";
    /** 2: the plan and the missing shards were added; a report of format 1 cannot say which run it is of. */
    private static final int FORMAT = 2;
    private static final int DEVICES_NAMED_PER_CAUSE = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a fleet run was asked to do, as every shard of it sees it: the fleet's size before sharding, the
     * number of shards, the seed and each device's schedule. {@code runId} is a digest of the rest, so the shards of
     * one run agree on it without talking to each other (given the same --seed), and two reports with different
     * ids are of different runs. Two runs with the same plan share an id: nothing in a report tells them apart.
     */
    public record Plan(long devices, int shards, long seed, long count, Duration interval, String runId) {

        public static Plan of(long devices, int shards, long seed, long count, Duration interval) {
            String canonical = "devices=" + devices + ";shards=" + shards + ";seed=" + seed + ";count=" + count
                    + ";interval_ns=" + interval.toNanos();
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
                return new Plan(devices, shards, seed, count, interval, HexFormat.of().formatHex(digest, 0, 6));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        /** How this plan differs from {@code other}, field by field ("seed 5 vs 6"), for a refusal. */
        public List<String> differencesFrom(Plan other) {
            List<String> differences = new ArrayList<>();
            if (devices != other.devices) {
                differences.add("a fleet of " + devices + " vs " + other.devices + " devices");
            }
            if (shards != other.shards) {
                differences.add(shards + " vs " + other.shards + " shards");
            }
            if (seed != other.seed) {
                differences.add("seed " + seed + " vs " + other.seed);
            }
            if (count != other.count) {
                differences.add("count " + count + " vs " + other.count);
            }
            if (!interval.equals(other.interval)) {
                differences.add("interval " + seconds(interval) + " s vs " + seconds(other.interval) + " s");
            }
            if (differences.isEmpty() && !runId.equals(other.runId)) {
                differences.add("run id " + runId + " vs " + other.runId);
            }
            return differences;
        }

        private static String seconds(Duration d) {
            return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
        }
    }

    /** Devices refused for one cause: the broker's or the preflight's one line, with the device ids. */
    public record Refusal(String cause, List<String> devices) {
    }

    /** Groups the causes of {@code refusedDevices} (device id to cause), the most frequent first. */
    public static List<Refusal> group(Map<String, String> refusedDevices) {
        Map<String, List<String>> byCause = new LinkedHashMap<>();
        refusedDevices.forEach((device, cause) -> byCause.computeIfAbsent(cause, c -> new ArrayList<>()).add(device));
        List<Refusal> refusals = new ArrayList<>();
        byCause.forEach((cause, devices) -> refusals.add(new Refusal(cause, devices.stream().sorted().toList())));
        refusals.sort(Comparator.comparing((Refusal r) -> -r.devices().size()).thenComparing(Refusal::cause));
        return List.copyOf(refusals);
    }

    public long refused() {
        return refusals.stream().mapToLong(r -> r.devices().size()).sum();
    }

    /** Every device connected and every message acknowledged (at QoS 0: sent), and no one stopped the run. */
    public boolean delivered() {
        return refusals.isEmpty() && connected == devices && sent == planned && acknowledged + sentUnacknowledged == planned && !interrupted;
    }

    /** {@link #delivered()}, and no shard of the plan missing: the whole fleet did what it was asked. */
    public boolean ok() {
        return delivered() && missingShards.isEmpty();
    }

    /**
     * Readings planned and never on a connection: a refused device's, and those of a run that stopped or whose broker
     * was gone. With them, acknowledged + sent unacknowledged (QoS 0) + failed + never sent = planned.
     */
    public long neverSent() {
        return planned - sent;
    }

    private double seconds() {
        return elapsed.toNanos() / 1e9;
    }

    private double rate() {
        return seconds() > 0 ? sent / seconds() : 0;
    }

    /** The summary for people, a line each: devices, refusals, connect times, messages, latencies, resources. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        long notStarted = devices - connected - refused();
        lines.add((interrupted ? "Stopped early: fleet of " : "Fleet of ") + devices + " device(s)"
                + (shards.isEmpty() ? "" : " (shard " + String.join(", ", shards) + ")") + ": " + connected
                + " connected, " + refused() + " refused" + (notStarted > 0 ? ", " + notStarted + " not started" : ""));
        if (!missingShards.isEmpty()) {
            lines.add("  missing " + missingShards.size() + " of " + plan.shards() + " shard(s): "
                    + String.join(", ", missingShards) + " (no report covers their devices)");
        }
        for (Refusal r : refusals) {
            List<String> named = r.devices().subList(0, Math.min(DEVICES_NAMED_PER_CAUSE, r.devices().size()));
            lines.add("  refused " + r.devices().size() + ": " + r.cause() + " (" + String.join(", ", named)
                    + (r.devices().size() > named.size() ? ", ..." : "") + ")");
        }
        if (connectTimes.count() > 0) {
            lines.add("Connect time (TCP, TLS, CONNACK) " + percentiles(connectTimes));
        }
        lines.add(String.format(Locale.ROOT, "Sent %d/%d, %s, failed %d%s, redelivered %d, reconnects %d"
                        + " in %.2f s (%.1f msg/s)", sent, planned, sentUnacknowledged > 0 && acknowledged == 0
                        ? sentUnacknowledged + " at QoS 0 (not acknowledged by design)" : "acknowledged " + acknowledged,
                failed, neverSent() > 0 ? ", never sent " + neverSent() : "", redelivered, reconnects, seconds(), rate()));
        if (ackLatencies.count() > 0) {
            lines.add("Ack latency " + percentiles(ackLatencies));
        }
        lines.add(String.format(Locale.ROOT, "Peak %d threads, heap %.0f MiB", peakThreads, peakHeapBytes / 1048576.0));
        return lines;
    }

    private static String percentiles(LatencyHistogram h) {
        return String.format(Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                h.percentileNanos(0.50) / 1e6, h.percentileNanos(0.90) / 1e6, h.percentileNanos(0.99) / 1e6,
                h.maxNanos() / 1e6);
    }

    /** Milliseconds to the microsecond: finer would only be noise. */
    private static double millis(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    /** The report as one JSON object ({@code --output json}), histograms included. */
    public String json() {
        ObjectNode node = JSON.createObjectNode().put("type", "report").put("report", KIND).put("format", FORMAT).put("ok", ok());
        node.putObject("plan").put("run_id", plan.runId()).put("devices", plan.devices()).put("shards", plan.shards())
                .put("seed", plan.seed()).put("count", plan.count()).put("interval_ns", plan.interval().toNanos());
        ArrayNode shardList = node.putArray("shards");
        shards.forEach(shardList::add);
        ArrayNode missingList = node.putArray("missing_shards");
        missingShards.forEach(missingList::add);
        node.putObject("devices").put("total", devices).put("connected", connected).put("refused", refused());
        ArrayNode refusalList = node.putArray("refusals");
        for (Refusal r : refusals) {
            ObjectNode entry = refusalList.addObject().put("cause", r.cause()).put("count", r.devices().size());
            ArrayNode ids = entry.putArray("devices");
            r.devices().forEach(ids::add);
        }
        node.put("planned", planned).put("sent", sent).put("acknowledged", acknowledged)
                .put("sent_unacknowledged", sentUnacknowledged).put("failed", failed).put("never_sent", neverSent())
                .put("redelivered", redelivered).put("reconnects", reconnects).put("interrupted", interrupted)
                .put("elapsed_ns", elapsed.toNanos())
                .put("elapsed_s", Math.round(seconds() * 1000) / 1000.0)
                .put("msg_per_s", Math.round(rate() * 10) / 10.0);
        percentiles(node.putObject("connect_ms"), connectTimes);
        percentiles(node.putObject("ack_latency_ms"), ackLatencies);
        node.put("peak_threads", peakThreads).put("peak_heap_bytes", peakHeapBytes);
        ObjectNode histograms = node.putObject("histograms").put("growth", LatencyHistogram.GROWTH);
        histogram(histograms.putObject("connect"), connectTimes);
        histogram(histograms.putObject("ack_latency"), ackLatencies);
        return node.toString();
    }

    private static void percentiles(ObjectNode node, LatencyHistogram h) {
        node.put("p50", millis(h.percentileNanos(0.50))).put("p90", millis(h.percentileNanos(0.90)))
                .put("p99", millis(h.percentileNanos(0.99))).put("max", millis(h.maxNanos()));
    }

    private static void histogram(ObjectNode node, LatencyHistogram h) {
        node.put("count", h.count()).put("max_ns", h.maxNanos());
        ObjectNode buckets = node.putObject("buckets");
        h.buckets().forEach((index, n) -> buckets.put(Integer.toString(index), n));
    }

    /**
     * Reads a report that {@link #json} wrote.
     *
     * @throws IllegalArgumentException saying why {@code text} is not such a report
     */
    public static FleetReport fromJson(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject() || !KIND.equals(node.path("report").asText())) {
            throw new IllegalArgumentException("not a fleet report (no \"report\": \"" + KIND + "\"; give the JSON"
                    + " report a fleet run printed on standard output)");
        }
        if (node.path("format").asInt() != FORMAT) {
            throw new IllegalArgumentException("a fleet report of format " + node.path("format") + ", this version reads " + FORMAT);
        }
        JsonNode histograms = node.path("histograms");
        if (histograms.path("growth").asDouble() != LatencyHistogram.GROWTH) {
            throw new IllegalArgumentException("its histograms have buckets " + histograms.path("growth")
                    + " wide, this version's are " + LatencyHistogram.GROWTH);
        }
        JsonNode planNode = node.path("plan");
        JsonNode seed = planNode.get("seed");
        if (seed == null || !seed.canConvertToLong() || !planNode.path("run_id").isTextual()) {
            throw new IllegalArgumentException("its \"plan\" (run id, seed, ...) is missing or incomplete");
        }
        Plan plan = new Plan(number(planNode, "devices"), (int) number(planNode, "shards"), seed.asLong(),
                number(planNode, "count"), Duration.ofNanos(number(planNode, "interval_ns")),
                planNode.path("run_id").asText());
        List<String> shards = new ArrayList<>();
        node.path("shards").forEach(s -> shards.add(s.asText()));
        List<String> missing = new ArrayList<>();
        node.path("missing_shards").forEach(s -> missing.add(s.asText()));
        Map<String, String> refused = new LinkedHashMap<>();
        for (JsonNode r : node.path("refusals")) {
            r.path("devices").forEach(d -> refused.put(d.asText(), r.path("cause").asText()));
        }
        JsonNode devices = node.path("devices");
        return new FleetReport(plan, List.copyOf(shards), List.copyOf(missing), number(devices, "total"), number(devices, "connected"),
                group(refused), number(node, "planned"), number(node, "sent"), number(node, "acknowledged"),
                node.path("sent_unacknowledged").asLong(0), number(node, "failed"), number(node, "redelivered"), number(node, "reconnects"),
                Duration.ofNanos(number(node, "elapsed_ns")), histogramOf(histograms.path("connect")),
                histogramOf(histograms.path("ack_latency")), number(node, "peak_threads"),
                number(node, "peak_heap_bytes"), node.path("interrupted").asBoolean());
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong() || value.asLong() < 0) {
            throw new IllegalArgumentException("its \"" + field + "\" is missing or not a count");
        }
        return value.asLong();
    }

    private static LatencyHistogram histogramOf(JsonNode node) {
        Map<Integer, Long> buckets = new HashMap<>();
        node.path("buckets").fields().forEachRemaining(e -> {
            try {
                buckets.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("its histogram has a bucket named '" + e.getKey() + "'");
            }
        });
        return LatencyHistogram.of(buckets, number(node, "max_ns"));
    }

    /**
     * One report for the devices of all {@code reports}, which are of one plan and cover distinct shards: counts
     * summed, histograms merged, refusals grouped across them, the plan's shards that none covers listed as
     * missing; the elapsed time and the peaks are the largest of any.
     */
    public static FleetReport merge(List<FleetReport> reports) {
        Plan plan = reports.get(0).plan();
        LatencyHistogram connects = new LatencyHistogram();
        LatencyHistogram acks = new LatencyHistogram();
        Map<String, String> refused = new LinkedHashMap<>();
        List<String> shards = new ArrayList<>();
        long devices = 0, connected = 0, planned = 0, sent = 0, acknowledged = 0, sentUnacknowledged = 0, failed = 0;
        long redelivered = 0;
        long reconnects = 0, peakThreads = 0, peakHeap = 0;
        Duration elapsed = Duration.ZERO;
        boolean interrupted = false;
        for (FleetReport r : reports) {
            shards.addAll(r.shards());
            devices += r.devices();
            connected += r.connected();
            r.refusals().forEach(refusal -> refusal.devices().forEach(d -> refused.put(d, refusal.cause())));
            planned += r.planned();
            sent += r.sent();
            acknowledged += r.acknowledged();
            sentUnacknowledged += r.sentUnacknowledged();
            failed += r.failed();
            redelivered += r.redelivered();
            reconnects += r.reconnects();
            elapsed = elapsed.compareTo(r.elapsed()) >= 0 ? elapsed : r.elapsed();
            connects.add(r.connectTimes());
            acks.add(r.ackLatencies());
            peakThreads = Math.max(peakThreads, r.peakThreads());
            peakHeap = Math.max(peakHeap, r.peakHeapBytes());
            interrupted |= r.interrupted();
        }
        List<String> missing = new ArrayList<>();
        if (!shards.isEmpty()) {
            for (int i = 1; i <= plan.shards(); i++) {
                if (!shards.contains(i + "/" + plan.shards())) {
                    missing.add(i + "/" + plan.shards());
                }
            }
        }
        shards.sort(Comparator.comparingInt(s -> Integer.parseInt(s.substring(0, s.indexOf('/')))));
        return new FleetReport(plan, List.copyOf(shards), List.copyOf(missing), devices, connected, group(refused),
                planned, sent, acknowledged, sentUnacknowledged, failed, redelivered, reconnects, elapsed, connects, acks,
                peakThreads,
                peakHeap, interrupted);
    }
}

package com.tesaiot.publish.app;

import com.tesaiot.publish.Causes;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.metrics.RunMetrics;
import com.tesaiot.publish.mqtt.MqttPublisher;
import com.tesaiot.publish.mqtt.SharedTimers;
import com.tesaiot.publish.outbox.Outbox;
import com.tesaiot.publish.report.ConsoleLog;
import com.tesaiot.publish.report.FleetProgress;
import com.tesaiot.publish.report.FleetReport;
import com.tesaiot.publish.report.LatencyHistogram;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Many device runs from one process: every bundle of a directory (or one shard of them) is a device with its own
 * connection, certificate, topic and telemetry, sharing the single device run's parts (preparation, publisher,
 * in-flight ledger, telemetry, tally). Devices connect at a limited rate, their first readings spread over one
 * interval; one summary (or JSON report) covers them all. Plain values in; the front end maps the outcome.
 */
public final class FleetRun {
    /**
     * Connects in progress at once, per core: a connect waits on the network and the broker as well as on our CPU,
     * but beyond a few per core they only queue for the CPU, and each one's connect time would measure our own
     * queue instead of the broker. The connect rate is then reached only as fast as the CPU allows.
     */
    private static final int CONNECTS_PER_CORE = 8;
    private static final int MAX_CONCURRENT_CONNECTS = 256;
    private static final int TICK_THREADS = 2;
    private static final int RECONNECT_THREADS = 4;
    /** Beyond this many, further connection losses are counted, not each told. */
    private static final int LOSSES_TOLD = 5;
    private static final long PROGRESS_SAMPLE_MILLIS = 500;
    /** Plain progress lines come once per this many samples (5 s); the live line is redrawn at every sample. */
    private static final int PLAIN_LINE_EVERY = 10;

    private final FleetPlan plan;
    private final BrokerSettings broker;
    private final Function<Failure, String> wording;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ConsoleLog log;
    private final boolean onTerminal = Terminal.isStandardError();

    private final LatencyHistogram connectTimes = new LatencyHistogram();
    private final LatencyHistogram ackLatencies = new LatencyHistogram();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger losses = new AtomicInteger();
    private final AtomicInteger brokerGone = new AtomicInteger();
    private final AtomicLong peakHeap = new AtomicLong();
    private volatile StopSignal stop;
    private volatile CountDownLatch finished;
    private volatile boolean reportPrinted;
    // Live metrics (--metrics-port; NONE when none are served) and when readings begin (--start-at).
    private final RunMetrics metrics;
    private final ReadingStart readingStart;

    /**
     * @param wording how the front end words a device's refusal, with the fix it can name (the keys' password)
     */
    public FleetRun(FleetPlan plan, BrokerSettings broker, PrintWriter out, PrintWriter err, RunMetrics metrics,
            ReadingStart readingStart, Function<Failure, String> wording) {
        this.wording = wording;
        this.plan = plan;
        this.broker = broker;
        this.out = out;
        this.err = err;
        this.log = new ConsoleLog(err, Clock.systemUTC());
        this.metrics = metrics;
        this.readingStart = readingStart;
    }

    /**
     * Runs the fleet to its end and prints the report. A fleet in which a device was refused or a message not
     * acknowledged throws a {@link Failure.Kind#NOT_DELIVERED} failure after the report; a stopped one returns its
     * report marked interrupted.
     */
    public FleetReport execute() throws Failure, InterruptedException {
        List<FleetBundles.Source> all = FleetBundles.discover(plan.bundles());
        List<FleetBundles.Source> chosen = plan.devices().map(n -> all.subList(0, Math.min(n, all.size()))).orElse(all);
        List<FleetBundles.Source> mine = plan.shard().map(s -> s.of(chosen)).orElse(chosen);
        List<FleetDevice> devices = new ArrayList<>();
        FleetDevice.Fleet fleet = new Lent();
        for (FleetBundles.Source source : mine) {
            devices.add(new FleetDevice(source, plan, fleet, log, wording));
        }
        DeliverySettings delivery = plan.delivery();
        plan.notes().forEach(log::warn);
        log.info("Fleet of " + devices.size() + " device(s) from " + plan.bundles()
                + plan.shard().map(s -> " (shard " + s + " of " + chosen.size() + " devices)").orElse("")
                + ": " + delivery.count() + " message(s) each, QoS " + delivery.qos() + ", scenarios " + plan.scenarios()
                + ", seed " + delivery.seed());
        if (delivery.outbox().isPresent()) {
            Outbox.createParent(delivery.outbox().get());
        }
        long startNanos = System.nanoTime();
        // The signal is caught from the start: a stop while thousands of bundles are prepared still gets its summary.
        try (StopSignal signal = StopSignal.install(); SharedTimers timers = SharedTimers.create(RECONNECT_THREADS)) {
            stop = signal;
            signal.whenRequested(() -> devices.forEach(FleetDevice::stop));
            prepare(devices);
            readingStart.at().ifPresent(at -> log.info("Readings begin at " + at + ", once connected"));
            List<FleetDevice> usable = devices.stream().filter(d -> !d.refused()).toList();
            if (usable.isEmpty() && plan.shard().isEmpty() && !signal.requested()) {
                devices.forEach(d -> d.end(false));
                throw new Failure(Failure.Kind.BUNDLE, "no usable bundle in " + plan.bundles() + ": all "
                        + devices.size() + " refused (" + devices.get(0).deviceId() + ": " + devices.get(0).refusal().orElse("") + ")");
            }
            return run(devices, chosen.size(), usable, signal, timers, startNanos);
        }
    }

    private FleetReport run(List<FleetDevice> devices, int fleetSize, List<FleetDevice> usable, StopSignal signal,
            SharedTimers timers, long startNanos) throws Failure, InterruptedException {
        finished = new CountDownLatch(usable.size());
        int concurrentConnects = (int) Math.min(Math.ceil(plan.connectRate()),
                Math.min(MAX_CONCURRENT_CONNECTS, CONNECTS_PER_CORE * Runtime.getRuntime().availableProcessors()));
        ExecutorService connectors = Executors.newFixedThreadPool(Math.max(1, Math.min(usable.size(), concurrentConnects)));
        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(TICK_THREADS);
        try {
            FleetProgress progress = onTerminal ? FleetProgress.liveLine(err) : FleetProgress.plain(log);
            AtomicInteger samples = new AtomicInteger();
            ticks.scheduleAtFixedRate(() -> {
                sampleHeap();
                if (progress.live() || samples.incrementAndGet() % PLAIN_LINE_EVERY == 0) {
                    progress.show(snapshot(devices));
                }
            }, PROGRESS_SAMPLE_MILLIS, PROGRESS_SAMPLE_MILLIS, TimeUnit.MILLISECONDS);

            if (!signal.requested()) {
                rampUp(usable, connectors, ticks, timers);
            }
            Duration late = readingStart.lateBy();
            if (readingStart.at().isPresent() && !late.isZero()) {
                log.warn("the fleet finished connecting " + late.toMillis() / 1000.0 + " s after the start time "
                        + readingStart.at().get() + ": the devices connected since began at once");
            }
            awaitDevices();
            long deadline = System.nanoTime() + (signal.requested() ? MqttPublisher.GRACE_AFTER_STOP
                    : plan.delivery().deliveryTimeout().plusSeconds(1)).toNanos();
            for (FleetDevice device : usable) {
                device.awaitOutstanding(deadline);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            ticks.shutdownNow();
            progress.finish();
            sampleHeap();
            endAll(devices, connectors, signal.requested());
            FleetReport report = report(devices, fleetSize, elapsed, signal.requested());
            print(report, devices);
            if (!report.ok() && !report.interrupted()) {
                throw new Failure(Failure.Kind.NOT_DELIVERED, problem(report, devices));
            }
            return report;
        } finally {
            ticks.shutdownNow();
            connectors.shutdownNow();
        }
    }

    /**
     * Every device's preflight, on as many threads as there are cores: each builds a TLS context. A stop skips the
     * devices not yet prepared.
     */
    private void prepare(List<FleetDevice> devices) throws InterruptedException {
        int threads = Math.max(1, Math.min(devices.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService preparers = Executors.newFixedThreadPool(threads);
        try {
            for (FleetDevice device : devices) {
                preparers.submit(() -> {
                    if (!stop.requested()) {
                        device.prepare(broker);
                    }
                });
            }
            preparers.shutdown();
            preparers.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } finally {
            preparers.shutdownNow();
        }
    }

    /**
     * Starts device i's connect at start + i / rate, and its first reading i / n of an interval after it is up, so
     * neither the broker's handshakes nor the fleet's readings come in lock-step.
     */
    private void rampUp(List<FleetDevice> usable, ExecutorService connectors, ScheduledExecutorService ticks,
            SharedTimers timers) throws InterruptedException {
        long rampStart = System.nanoTime();
        double nanosPerDevice = 1e9 / plan.connectRate();
        for (int i = 0; i < usable.size(); i++) {
            long wait = rampStart + (long) (i * nanosPerDevice) - System.nanoTime();
            if (wait > 0) {
                stop.await(wait);
            }
            if (stop.requested()) {
                usable.subList(i, usable.size()).forEach(FleetDevice::finish);
                return;
            }
            FleetDevice device = usable.get(i);
            Duration offset = Duration.ofNanos(plan.delivery().interval().toNanos() * i / usable.size());
            connectors.submit(() -> device.connectAndStart(timers, ticks, offset, readingStart));
        }
    }

    /** Until every device has sent its readings, or a stop leaves them only a short grace. */
    private void awaitDevices() throws InterruptedException {
        while (!finished.await(100, TimeUnit.MILLISECONDS)) {
            if (stop.requested()) {
                finished.await(MqttPublisher.GRACE_AFTER_STOP.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
        }
    }

    /** Each device's ending decided, then every connection closed, in parallel: a DISCONNECT waits for its answer. */
    private void endAll(List<FleetDevice> devices, ExecutorService connectors, boolean stopped) throws InterruptedException {
        List<java.util.concurrent.Callable<Void>> ends = new ArrayList<>();
        for (FleetDevice device : devices) {
            ends.add(() -> {
                device.end(stopped);
                return null;
            });
        }
        connectors.invokeAll(ends);
    }

    private FleetProgress.Snapshot snapshot(List<FleetDevice> devices) {
        long sent = 0, acknowledged = 0, givenUp = 0, refused = 0;
        for (FleetDevice d : devices) {
            // Acknowledgements read before the sends (each counted as sent before it goes out), so the line never
            // shows more acknowledged than sent.
            acknowledged += d.tally().acknowledged();
            givenUp += d.tally().failed();
            sent += d.sent();
            refused += d.refused() ? 1 : 0;
        }
        return new FleetProgress.Snapshot(devices.size(), connected.get(), refused, sent, acknowledged, givenUp);
    }

    private void sampleHeap() {
        peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
    }

    private FleetReport report(List<FleetDevice> devices, int fleetSize, Duration elapsed, boolean interrupted) {
        Map<String, String> refused = new LinkedHashMap<>();
        long planned = 0, sent = 0, acknowledged = 0, sentUnacknowledged = 0, failed = 0, redelivered = 0, reconnects = 0;
        for (FleetDevice d : devices) {
            planned += d.planned();
            d.refusal().ifPresent(cause -> refused.put(d.displayName(), cause));
            sent += d.sent();
            acknowledged += d.tally().acknowledged();
            sentUnacknowledged += d.tally().sentUnacknowledged();
            failed += d.failed();
            redelivered += d.tally().redelivered();
            reconnects += d.reconnects();
        }
        return new FleetReport(FleetReport.Plan.of(fleetSize, plan.shard().map(Shard::count).orElse(1),
                plan.delivery().seed(), plan.delivery().count(), plan.delivery().interval()),
                plan.shard().map(s -> List.of(s.toString())).orElse(List.of()), List.of(), devices.size(),
                connected.get(), FleetReport.group(refused), planned, sent, acknowledged, sentUnacknowledged, failed,
                redelivered, reconnects, elapsed, connectTimes, ackLatencies,
                ManagementFactory.getThreadMXBean().getPeakThreadCount(), peakHeap.get(), interrupted);
    }

    /** Whether the report was printed: a failure after it has no report of its own to print. */
    public boolean reportPrinted() {
        return reportPrinted;
    }

    private void print(FleetReport report, List<FleetDevice> devices) {
        reportPrinted = true;
        report.lines().forEach(log::info);
        // Devices that ran but did not deliver everything, grouped by why (an ACL denial, a takeover, the broker gone).
        Map<String, String> undelivered = new LinkedHashMap<>();
        devices.forEach(d -> d.undelivered().ifPresent(cause -> undelivered.put(d.displayName(), cause)));
        for (FleetReport.Refusal group : FleetReport.group(undelivered)) {
            log.warn(group.devices().size() + " device(s) not delivered (" + String.join(", ",
                    group.devices().subList(0, Math.min(3, group.devices().size())))
                    + (group.devices().size() > 3 ? ", ..." : "") + "): " + group.cause());
        }
        log.flush();
        if (plan.delivery().output() == OutputFormat.JSONL) {
            devices.forEach(d -> out.println(d.result().json()));
        }
        if (plan.delivery().output() != OutputFormat.TEXT) {
            out.println(report.json());
        }
        out.flush();
    }

    private static String problem(FleetReport report, List<FleetDevice> devices) {
        List<String> parts = new ArrayList<>();
        if (report.refused() > 0) {
            parts.add(report.refused() + " of " + report.devices() + " device(s) could not run");
        }
        // The readings of a device that could not run are counted there, not again here. Devices plan different
        // counts (what each one's outbox held), and at QoS 0 a reading sent is all that is promised.
        long runningPlanned = 0, notAcknowledged = 0;
        for (FleetDevice d : devices) {
            if (!d.refused()) {
                runningPlanned += d.planned();
                notAcknowledged += d.planned() - d.tally().acknowledged() - d.tally().sentUnacknowledged();
            }
        }
        if (notAcknowledged > 0) {
            parts.add(notAcknowledged + " of the running devices' " + runningPlanned + " message(s) not acknowledged");
        }
        return String.join(" and ", parts) + " (see the summary above)";
    }

    /** What the fleet lends each device. */
    private final class Lent implements FleetDevice.Fleet {
        @Override
        public void connected(long connectNanos) {
            connectTimes.record(connectNanos);
            connected.incrementAndGet();
            metrics.connected(connectNanos);
        }

        @Override
        public RunMetrics metrics() {
            return metrics;
        }

        @Override
        public LatencyHistogram ackLatencies() {
            return ackLatencies;
        }

        @Override
        public void connectionLost(String deviceId, Throwable cause) {
            int n = losses.incrementAndGet();
            if (n <= LOSSES_TOLD) {
                log.warn(deviceId + ": connection lost (" + Causes.describe(cause) + "): reconnecting, unacknowledged"
                        + " messages will be sent again" + (n == LOSSES_TOLD ? "; further losses are counted in the summary" : ""));
            }
        }

        @Override
        public void brokerGone(String deviceId) {
            if (brokerGone.getAndIncrement() == 0) {
                log.warn(deviceId + ": the broker has been unreachable for longer than the delivery timeout: no more"
                        + " readings are made (devices that find the same are counted in the summary)");
            }
        }

        @Override
        public void finished() {
            finished.countDown();
        }

        @Override
        public boolean stopRequested() {
            StopSignal s = stop;
            return s != null && s.requested();
        }
    }
}

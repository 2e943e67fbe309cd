package com.tesaiot.publish.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * A run's metrics as Prometheus counters, a gauge and histograms in {@code registry}, every one labelled with the
 * shard, so the shards of a fleet add up in one query ({@code sum by () (rate(tesaiot_readings_acknowledged_total[1m]))}).
 */
final class PrometheusRunMetrics implements RunMetrics {
    private static final double[] CONNECT_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60};
    private static final double[] ACK_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final double NANOS_PER_SECOND = 1e9;

    private final Counter connects;
    private final Gauge connectedNow;
    private final Counter refused;
    private final Counter sent;
    private final Counter acknowledged;
    private final Counter failed;
    private final Counter reconnects;
    private final Histogram connectTime;
    private final Histogram ackLatency;

    PrometheusRunMetrics(PrometheusRegistry registry, String shard) {
        Labels labels = Labels.of("shard", shard);
        connects = Counter.builder().name("tesaiot_device_connects").constLabels(labels)
                .help("Devices whose first connection came up").register(registry);
        connectedNow = Gauge.builder().name("tesaiot_devices_connected").constLabels(labels)
                .help("Devices connected now").register(registry);
        refused = Counter.builder().name("tesaiot_devices_refused").constLabels(labels)
                .help("Devices that could not run: bundle or broker refused them").register(registry);
        sent = Counter.builder().name("tesaiot_readings_sent").constLabels(labels)
                .help("Readings sent").register(registry);
        acknowledged = Counter.builder().name("tesaiot_readings_acknowledged").constLabels(labels)
                .help("Readings the broker acknowledged").register(registry);
        failed = Counter.builder().name("tesaiot_readings_failed").constLabels(labels)
                .help("Readings given up: not acknowledged within the delivery timeout, or refused").register(registry);
        reconnects = Counter.builder().name("tesaiot_reconnects").constLabels(labels)
                .help("Connections brought back after a loss").register(registry);
        connectTime = Histogram.builder().name("tesaiot_connect_seconds").unit(Unit.SECONDS).constLabels(labels)
                .help("Time from a device's connect to its CONNACK, TLS handshake included")
                .classicOnly().classicUpperBounds(CONNECT_SECONDS).register(registry);
        ackLatency = Histogram.builder().name("tesaiot_ack_latency_seconds").unit(Unit.SECONDS).constLabels(labels)
                .help("Time from a reading's send to its PUBACK")
                .classicOnly().classicUpperBounds(ACK_SECONDS).register(registry);
    }

    @Override
    public void connected(long connectNanos) {
        connects.inc();
        connectedNow.inc();
        connectTime.observe(connectNanos / NANOS_PER_SECOND);
    }

    @Override
    public void refused() {
        refused.inc();
    }

    @Override
    public void sent() {
        sent.inc();
    }

    @Override
    public void acknowledged(long latencyNanos) {
        acknowledged.inc();
        ackLatency.observe(latencyNanos / NANOS_PER_SECOND);
    }

    @Override
    public void failed() {
        failed.inc();
    }

    @Override
    public void connectionLost() {
        connectedNow.dec();
    }

    @Override
    public void reconnected() {
        reconnects.inc();
        connectedNow.inc();
    }
}

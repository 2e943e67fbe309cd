package com.tesaiot.publish.metrics;

import com.tesaiot.publish.Failure;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;

/**
 * Serves a run's metrics for Prometheus at {@code http://HOST:PORT/metrics} (the Prometheus Java client's HTTP
 * server, text format) while the run goes, so a long load test can be watched live; closed when the run ends.
 */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;
    private final RunMetrics metrics;

    private MetricsServer(HTTPServer server, RunMetrics metrics) {
        this.server = server;
        this.metrics = metrics;
    }

    /**
     * Listens on {@code port} on every interface (0: any free port), with metrics labelled {@code shard} (e.g.
     * {@code 3/10}, or {@code all} for a whole fleet or a single run).
     */
    public static MetricsServer start(int port, String shard) throws Failure {
        PrometheusRegistry registry = new PrometheusRegistry();
        RunMetrics metrics = new PrometheusRunMetrics(registry, shard);
        try {
            return new MetricsServer(HTTPServer.builder().port(port).registry(registry).buildAndStart(), metrics);
        } catch (IOException e) {
            throw new Failure(Failure.Kind.USAGE, "cannot serve metrics on port " + port + ": " + e.getMessage(), e);
        }
    }

    public RunMetrics metrics() {
        return metrics;
    }

    /** The port it listens on (the one chosen, when 0 was asked for). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}

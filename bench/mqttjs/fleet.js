#!/usr/bin/env node
// The reference fleet of bench/fleet.sh: the same bundles as `tesaiot-publish fleet` (from `bundle create --devices
// N`), each device its own key and certificate, connected with MQTT.js in one Node event loop, as MQTTX's `bench`
// does. Same schedule as ours: device i starts connecting at i / rate, its first reading i / n of an interval after
// its CONNACK, then one reading per interval (fixed rate), QoS 1, TLS 1.2 by default as ours.
//
//   node fleet.js --bundles DIR --count N --interval SECONDS --connect-rate PER_SECOND [--tls-version tlsv1.3]
//
// The CONNACK timeout is 120 s, not MQTT.js's 30: on a shared machine a starved event loop holds every pending
// handshake back at once, and a reference that times out measures the machine, not the library.
//
// Prints one JSON object on stdout: devices, connected, planned, sent, acknowledged, failed, connect_ms and
// ack_latency_ms (p50, p99, max), peak_threads (of this process, from /proc), wall_s.
'use strict';
const fs = require('fs');
const path = require('path');
const mqtt = require('mqtt');

function args() {
  const a = { count: 1, interval: 5, connectRate: 20, tlsVersion: 'tlsv1.2', deliveryTimeout: 30 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--bundles': a.bundles = v; break;
      case '--count': a.count = Number(v); break;
      case '--interval': a.interval = Number(v); break;
      case '--connect-rate': a.connectRate = Number(v); break;
      case '--tls-version': a.tlsVersion = v; break;
      case '--delivery-timeout': a.deliveryTimeout = Number(v); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!a.bundles) throw new Error('give --bundles DIR');
  return a;
}

// Each sub-folder with a client certificate is a device, in the order of their ids as our fleet sorts them.
function devices(dir) {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'client_cert.pem')))
    .map(e => {
      const d = path.join(dir, e.name);
      const idFile = path.join(d, 'device_id.txt');
      const id = fs.existsSync(idFile) ? fs.readFileSync(idFile, 'utf8').trim() : e.name;
      const endpoints = JSON.parse(fs.readFileSync(path.join(d, 'endpoints.json'), 'utf8'));
      return {
        id,
        host: endpoints.mqtt_host,
        port: endpoints.mqtt_mtls_port,
        key: fs.readFileSync(path.join(d, 'client_key.pem')),
        cert: fs.readFileSync(path.join(d, 'client_cert.pem')),
        ca: fs.readFileSync(path.join(d, 'ca-chain.pem')),
      };
    })
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

// The same shape and size as our readings (the platform's field order); values drawn as the original draws them.
function payload(id, seq) {
  const r = (lo, hi) => lo + Math.random() * (hi - lo);
  return JSON.stringify({
    device_id: id, timestamp: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'), seq,
    spo2: Math.round(r(94, 99)), temperature: Number(r(36.2, 37.5).toFixed(1)),
    heart_rate: Math.round(r(65, 95)), heart_rate_bpm: Math.round(r(65, 95)),
    perfusion_index: Number(r(2.5, 6.5).toFixed(2)), motion: Math.random() < 0.5,
    signal_quality: Math.round(r(85, 100)), rhythm: 'sinus', rr_interval_ms: Math.round(r(600, 950)),
    qt_interval_ms: Math.round(r(320, 420)), site: 'temporal',
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(values) {
  const s = Float64Array.from(values).sort();
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : 0 };
}

function threads() {
  try {
    return Number(/Threads:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
  } catch (e) {
    return 0;
  }
}

function main() {
  const a = args();
  const fleet = devices(a.bundles);
  const n = fleet.length;
  const intervalMs = a.interval * 1000;
  const version = a.tlsVersion === 'tlsv1.3' ? 'TLSv1.3' : 'TLSv1.2';
  const connectMs = [];
  const ackMs = [];
  const clients = [];
  let connected = 0, sent = 0, acknowledged = 0, failed = 0, finished = 0, peakThreads = threads();
  const refusals = {};
  const start = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
  const sampler = setInterval(() => { peakThreads = Math.max(peakThreads, threads()); }, 500);

  function done() {
    finished++;
    if (finished < n) return;
    clearInterval(sampler);
    peakThreads = Math.max(peakThreads, threads());
    let closing = clients.length;
    const report = () => {
      process.stdout.write(JSON.stringify({
        client: `MQTT.js ${require('mqtt/package.json').version} on Node ${process.version}`,
        devices: { total: n, connected }, refusals, planned: n * a.count, sent, acknowledged, failed,
        connect_ms: summary(connectMs), ack_latency_ms: summary(ackMs), peak_threads: peakThreads,
        wall_s: ms() / 1000,
      }) + '\n');
      process.exit(0);
    };
    if (closing === 0) report();
    for (const c of clients) c.end(false, {}, () => { if (--closing === 0) report(); });
  }

  fleet.forEach((d, i) => {
    setTimeout(() => {
      const t0 = ms();
      let up = false;
      const client = mqtt.connect({
        protocol: 'mqtts', host: d.host, port: d.port, servername: d.host, clientId: d.id,
        key: d.key, cert: d.cert, ca: d.ca, rejectUnauthorized: true,
        minVersion: version, maxVersion: version,
        protocolVersion: 4, clean: true, keepalive: 60, reconnectPeriod: 0, connectTimeout: 120_000,
      });
      clients.push(client);
      client.on('error', err => {
        if (up) return;
        const cause = String(err && err.message || err);
        refusals[cause] = (refusals[cause] || 0) + 1;
        up = true;
        done();
      });
      client.once('connect', () => {
        up = true;
        connected++;
        connectMs.push(ms() - t0);
        const first = ms() + (intervalMs * i) / n;
        let pending = a.count;
        for (let k = 0; k < a.count; k++) {
          setTimeout(() => {
            const sentAt = ms();
            sent++;
            client.publish(`device/${d.id}/telemetry`, payload(d.id, k), { qos: 1 }, err => {
              if (err) failed++; else { acknowledged++; ackMs.push(ms() - sentAt); }
              if (--pending === 0) done();
            });
          }, Math.max(0, first + k * intervalMs - ms()));
        }
      });
    }, (i * 1000) / a.connectRate);
  });
}

main();

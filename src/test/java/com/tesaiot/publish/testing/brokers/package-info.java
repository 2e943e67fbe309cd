/**
 * Test infrastructure: {@link com.tesaiot.publish.testing.brokers.MutualTlsBroker}, an embedded HiveMQ CE broker that
 * requires client certificates and records what it received, and plain Paho/JSSE clients to probe it. Beside it,
 * {@link com.tesaiot.publish.testing.brokers.MosquittoBroker} (a mosquitto process) and
 * {@link com.tesaiot.publish.testing.brokers.EmqxShapedBroker} (aedes in a Node process, playing the platform's EMQX:
 * client id = CN, a denied publish disconnects, a second connection takes the session over).
 *
 * <pre>{@code
 * @RegisterExtension
 * static MutualTlsBroker broker = MutualTlsBroker.builder()
 *         .requirePassword(deviceId -> "api-key-of-" + deviceId)   // optional: the platform's EMQX rules
 *         .disconnectOnTopic(topic -> topic.endsWith("/denied"))   // optional: ACL deny_action = disconnect
 *         .build();
 *
 * @Test
 * void publishesTenMessages() throws Exception {
 *     Path bundle = broker.writeBundle("dev-1");             // EC key, SEC1; api_key.txt when required
 *     // run("--certs-dir", bundle.toString(), "--count", "10", "--interval", "0") ...
 *     assertEquals(10, broker.awaitPublishes(10, Duration.ofSeconds(5)).size());
 *     assertEquals(10, broker.publishesOn("device/dev-1/telemetry").size());
 * }
 * }</pre>
 */
package com.tesaiot.publish.testing.brokers;

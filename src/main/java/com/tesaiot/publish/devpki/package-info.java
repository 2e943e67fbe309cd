/**
 * A development PKI for local brokers and tests (and {@code bundle create}): a root and an intermediate CA, server
 * and client leaves, private keys in every PEM form openssl writes, PKCS#12 stores, and device bundles in the
 * platform's layout.
 *
 * <pre>{@code
 * DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(365));
 * IssuedCertificate device = pki.issueClient(deviceId, KeyType.EC);
 * DeviceBundleWriter.write(dir, DeviceBundle.of(deviceId, device, pki.caChain(), "localhost", 8883)
 *         .withKeyFormat(PrivateKeyFormat.SEC1_EC, null)
 *         .withApiKey(apiKey));
 * }</pre>
 */
package com.tesaiot.publish.devpki;

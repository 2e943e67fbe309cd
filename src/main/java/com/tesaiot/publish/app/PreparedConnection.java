package com.tesaiot.publish.app;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.bundle.CredentialBundle;
import com.tesaiot.publish.bundle.CredentialBundleReader;
import com.tesaiot.publish.bundle.Endpoint;
import com.tesaiot.publish.bundle.EndpointsFile;
import com.tesaiot.publish.bundle.FileOrigin;
import com.tesaiot.publish.bundle.KeyFilePermissions;
import com.tesaiot.publish.bundle.Secret;
import com.tesaiot.publish.mqtt.ConnectionSettings;
import com.tesaiot.publish.report.ConsoleLog;
import com.tesaiot.publish.tls.MutualTls;
import com.tesaiot.publish.tls.MutualTlsFactory;
import com.tesaiot.publish.tls.PemReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything needed to connect, resolved from the bundle and the options, with every check that can be made
 * without the network already made: the bundle read, the key tightened, the TLS context built.
 */
public record PreparedConnection(CredentialBundle bundle, MutualTls tls, Endpoint endpoint, Optional<String> userName,
        Optional<Secret> password, BrokerSettings broker) {

    public static PreparedConnection prepare(DeviceCredentials credentials, BrokerSettings broker, ConsoleLog log)
            throws Failure {
        CredentialBundle bundle = CredentialBundleReader.read(credentials.location(), credentials.deviceId());
        bundle.identity().notes().forEach(log::warn);
        MutualTls tls = MutualTlsFactory.create(bundle, broker.tlsVersion(), credentials.keyPassword());
        // Only once the file is known to hold the key: a certificate given as --client-key by mistake keeps its
        // mode. A key read from a zip was never written anywhere: there is no file whose mode could matter.
        if (bundle.clientKey().origin() instanceof FileOrigin.OnDisk disk) {
            Path source = credentials.location().source().toAbsolutePath().normalize();
            boolean keyInBundle = Files.isDirectory(source) && disk.path().toAbsolutePath().normalize().startsWith(source);
            KeyFilePermissions.tighten(disk.path(), keyInBundle).ifPresent(log::warn);
        }
        tls.warnings().forEach(log::warn);
        if (credentials.keyPassword().isPresent() && !PemReader.isEncrypted(bundle.clientKey())) {
            log.warn("a key password was given (--key-password or KEY_PASSWORD), but " + bundle.clientKey().name()
                    + " is not encrypted: the password was not used");
        }
        tls.clientCommonName().filter(cn -> !cn.equals(bundle.deviceId())).ifPresent(cn ->
                log.warn("the client certificate's CN is '" + cn + "' but the device id is '" + bundle.deviceId()
                        + "' (from " + bundle.identity().source() + "): the platform expects them to be the same"));
        Endpoint endpoint = endpoint(bundle, broker);
        if (broker.insecure()) {
            log.warn("--insecure: the server certificate is not checked against host name " + endpoint.host());
        }
        // The platform's Community Edition wants user name = device id and password = API key; flags override.
        Optional<Secret> password = broker.password().or(bundle::apiKey);
        Optional<String> userName = broker.userName().or(() -> password.map(p -> bundle.deviceId()));
        return new PreparedConnection(bundle, tls, endpoint, userName, password, broker);
    }

    /** Flag or environment first, then endpoints.json, then the platform's default, field by field. */
    private static Endpoint endpoint(CredentialBundle bundle, BrokerSettings broker) throws Failure {
        Optional<Endpoint> fromFile = Optional.empty();
        if (bundle.endpoints().isPresent() && (broker.host().isEmpty() || broker.port().isEmpty())) {
            fromFile = Optional.of(EndpointsFile.read(bundle.endpoints().get()));
        }
        String host = broker.host().orElse(fromFile.map(Endpoint::host).orElse(Endpoint.DEFAULT_HOST));
        int port = broker.port().orElse(fromFile.map(Endpoint::port).orElse(Endpoint.DEFAULT_PORT));
        return new Endpoint(host, port);
    }

    public ConnectionSettings settings(int maxInflight, Duration deliveryTimeout) {
        return settings(maxInflight, deliveryTimeout, ConnectionSettings.DEFAULT_STALL_FLOOR);
    }

    public ConnectionSettings settings(int maxInflight, Duration deliveryTimeout, Duration stallFloor) {
        return new ConnectionSettings(endpoint, bundle.deviceId(), userName, password, tls.socketFactory(),
                !broker.insecure(), maxInflight, broker.connectTimeout(), deliveryTimeout, stallFloor);
    }
}

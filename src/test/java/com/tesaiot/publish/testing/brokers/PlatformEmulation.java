package com.tesaiot.publish.testing.brokers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Function;
import java.util.function.Predicate;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The HiveMQ extension embedded in the test broker: records every CONNECT and PUBLISH it receives and, when asked,
 * applies the platform's (EMQX's) rules: user name = client id = certificate CN with the device's API key as
 * password, and a disconnect for a PUBLISH to a denied topic.
 */
final class PlatformEmulation implements ExtensionMain {

    private final Queue<ReceivedConnect> connects;
    private final Queue<ReceivedPublish> publishes;
    private final Function<String, String> apiKeyOfDevice; // null: a certificate alone is enough
    private final Predicate<String> deniedTopic; // null: every topic allowed

    PlatformEmulation(Queue<ReceivedConnect> connects, Queue<ReceivedPublish> publishes,
            Function<String, String> apiKeyOfDevice, Predicate<String> deniedTopic) {
        this.connects = connects;
        this.publishes = publishes;
        this.apiKeyOfDevice = apiKeyOfDevice;
        this.deniedTopic = deniedTopic;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        SimpleAuthenticator authenticator = this::authenticate;
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        PublishInboundInterceptor interceptor = this::onPublish;
        Services.initializerRegistry().setClientInitializer(
                (initializerInput, clientContext) -> clientContext.addPublishInboundInterceptor(interceptor));
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    }

    private void authenticate(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        String clientId = connect.getClientId();
        String userName = connect.getUserName().orElse(null);
        Optional<ByteBuffer> password = connect.getPassword();
        Optional<ClientTlsInformation> tls = input.getConnectionInformation().getClientTlsInformation();
        String commonName = tls.flatMap(ClientTlsInformation::getClientCertificate)
                .map(PlatformEmulation::commonName).orElse(null);
        String protocol = tls.map(ClientTlsInformation::getProtocol).orElse(null);

        ConnackReasonCode refusal = apiKeyOfDevice == null ? null
                : refusal(clientId, userName, password.map(PlatformEmulation::text).orElse(null), commonName);
        connects.add(new ReceivedConnect(clientId, userName, password.isPresent(), commonName, protocol,
                refusal == null));
        if (refusal == null) {
            output.authenticateSuccessfully();
        } else {
            output.failAuthentication(refusal);
        }
    }

    /** Why the platform would refuse this CONNECT, or null when it accepts it. */
    private ConnackReasonCode refusal(String clientId, String userName, String password, String commonName) {
        if (!clientId.equals(commonName)) {
            return ConnackReasonCode.NOT_AUTHORIZED; // MQTT 3.1.1 return code 5
        }
        String apiKey = apiKeyOfDevice.apply(clientId);
        if (!clientId.equals(userName) || apiKey == null || !apiKey.equals(password)) {
            return ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD; // MQTT 3.1.1 return code 4
        }
        return null;
    }

    private void onPublish(PublishInboundInput input, PublishInboundOutput output) {
        PublishPacket publish = input.getPublishPacket();
        ByteBuffer payload = publish.getPayload().orElse(ByteBuffer.allocate(0)); // read-only view: copy it
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        publishes.add(new ReceivedPublish(input.getClientInformation().getClientId(), publish.getTopic(), bytes,
                publish.getQos().getQosNumber()));
        if (deniedTopic != null && deniedTopic.test(publish.getTopic())) {
            // An error code makes HiveMQ close an MQTT 3 client's connection without a PUBACK: what EMQX does with
            // an ACL whose deny_action is disconnect. At QoS 0 there is no PUBACK to withhold and HiveMQ may keep the
            // connection, while EMQX closes it at every QoS: so it is closed here explicitly.
            output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED);
            Services.clientService().disconnectClient(input.getClientInformation().getClientId());
        }
    }

    private static String commonName(X509Certificate certificate) {
        RDN[] commonNames = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
                .getRDNs(BCStyle.CN);
        return commonNames.length == 0 ? null : IETFUtils.valueToString(commonNames[0].getFirst().getValue());
    }

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}

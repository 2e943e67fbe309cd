package com.tesaiot.publish.testing.brokers;

/**
 * One CONNECT as the broker's authenticator saw it, after the TLS handshake succeeded.
 *
 * @param userName              the CONNECT's user name, or null
 * @param passwordGiven         whether the CONNECT carried a password (its value is never kept)
 * @param certificateCommonName the CN of the client certificate, or null
 * @param tlsProtocol           the negotiated protocol, e.g. "TLSv1.3"
 * @param accepted              whether the broker accepted the CONNECT
 */
public record ReceivedConnect(String clientId, String userName, boolean passwordGiven, String certificateCommonName,
        String tlsProtocol, boolean accepted) {
}

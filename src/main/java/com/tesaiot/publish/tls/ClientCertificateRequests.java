package com.tesaiot.publish.tls;

/**
 * How many times a server has asked for the client certificate in the TLS handshakes of a socket factory's sockets:
 * a handshake cut before the count moved was no refusal of the certificate, since the server had not seen it.
 */
public interface ClientCertificateRequests {
    long clientCertificateRequests();
}

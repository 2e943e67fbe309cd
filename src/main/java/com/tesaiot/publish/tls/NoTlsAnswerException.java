package com.tesaiot.publish.tls;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.SocketTimeoutException;

/** The peer closed or reset the connection without a byte of TLS: most likely no TLS listener at all. */
public final class NoTlsAnswerException extends SSLException {
    private NoTlsAnswerException(IOException cause) {
        super("the connection was closed before any TLS answer to our hello (" + cause.getMessage() + ")", cause);
    }

    /**
     * {@code failure} of a handshake over {@code plain}, as this exception when the peer closed or reset it without
     * sending one byte; a peer that is silent until the timeout stays a timeout.
     */
    public static IOException ifNothingRead(CountingSocket plain, IOException failure) {
        return plain.bytesRead() == 0 && !(failure instanceof SocketTimeoutException)
                ? new NoTlsAnswerException(failure) : failure;
    }
}

package com.tesaiot.publish.tls;

import com.tesaiot.publish.Causes;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * The connection was closed or reset during the TLS handshake, with no alert, before the server asked for our
 * certificate: a cut in the network or a broker going down, not a refusal of a certificate it never saw.
 */
public final class CutBeforeCertificateException extends SSLException {
    private CutBeforeCertificateException(IOException cause) {
        super("the connection was closed during the TLS handshake, before the server asked for our certificate ("
                + cause.getMessage() + ")", cause);
    }

    /**
     * {@code failure} of a handshake, as this exception when the other end or the network closed the connection
     * ({@code EOF}, a reset, a broken pipe) and the server had not asked for our certificate; any other failure (an
     * alert, a server certificate we refuse, a timeout) as it is.
     */
    public static IOException ifCutBeforeCertificate(IOException failure, boolean certificateAsked) {
        return !certificateAsked && !(failure instanceof NoTlsAnswerException) && closed(failure)
                ? new CutBeforeCertificateException(failure) : failure;
    }

    private static boolean closed(Throwable failure) {
        if (Causes.alert(failure) != null) {
            return false; // the server said why
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof SocketException && !(t instanceof SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }
}

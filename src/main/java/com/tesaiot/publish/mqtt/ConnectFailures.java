package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.Causes;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.tls.CutBeforeCertificateException;
import com.tesaiot.publish.tls.NoTlsAnswerException;
import org.eclipse.paho.client.mqttv3.MqttException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Turns a failed CONNECT into one line that names the cause. A client certificate the broker rejects shows up
 * in many shapes (a handshake alert, a broken pipe, or with TLS 1.3 a connection lost after the handshake), so
 * the whole cause chain is read, never one message.
 */
final class ConnectFailures {
        private ConnectFailures() {
    }

    static Failure explain(MqttException e, ConnectionSettings settings) {
        String where = settings.endpoint().toString();
        String host = settings.endpoint().host();
        switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
                return credentialsRefused(e, settings, where + " refused the user name or password (CONNACK 4)");
            case MqttException.REASON_CODE_NOT_AUTHORIZED:
                return credentialsRefused(e, settings, where + " refused to authorise client id '" + settings.clientId()
                        + "' (CONNACK 5)");
            case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                return refused(e, where + " rejected client id '" + settings.clientId()
                        + "' (CONNACK 2): the client id must be the device id the certificate was issued for");
            case MqttException.REASON_CODE_BROKER_UNAVAILABLE:
                return new Failure(Failure.Kind.UNREACHABLE, where + " answered that the MQTT service is unavailable (CONNACK 3): try again later", e);
            default:
                break;
        }
        Throwable cause = e.getCause();
        if (has(cause, UnknownHostException.class)) {
            return new Failure(Failure.Kind.UNREACHABLE, Failure.Input.BROKER_HOST, "cannot resolve host '" + host + "'", e);
        }
        if (has(cause, ConnectException.class)) {
            return unreachable(e, "connection to " + where + " refused: no broker listens there (is it running, and is "
                    + settings.endpoint().port() + " its MQTT over TLS port?)");
        }
        if (containsMessage(cause, "Read timed out")) {
            // The TCP connection was made: nothing between us drops the traffic, the server does not answer.
            return unreachable(e, "no answer from " + where + " within " + settings.connectTimeout().toSeconds()
                    + " s: it accepted the connection but did not answer the TLS handshake; is "
                    + settings.endpoint().port() + " a TLS port of a broker that is up and not hung?");
        }
        if (has(cause, SocketTimeoutException.class) || has(cause, NoRouteToHostException.class)
                || e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT && cause == null) {
            return unreachable(e, "no answer from " + where + " within " + settings.connectTimeout().toSeconds()
                    + " s: check the host and port, and whether a firewall drops the traffic");
        }
        if (has(cause, CertificateExpiredException.class) || has(cause, CertificateNotYetValidException.class)) {
            return refused(e, "the server certificate of " + where + " is expired or not yet valid: "
                    + Causes.rootMessage(cause) + " (check this machine's clock too)");
        }
        if (has(cause, CertPathValidatorException.class) || containsMessage(cause, "unable to find valid certification path")) {
            return refused(e, "the server certificate of " + where + " is not issued by any CA in ca-chain.pem: "
                    + "is the bundle for this broker? (" + Causes.rootMessage(cause) + ")");
        }
        if (containsMessage(cause, "No subject alternative") || containsMessage(cause, "No name matching")) {
            return refused(e, "the server certificate of " + where + " is not issued for host '" + host
                    + "' (" + Causes.rootMessage(cause) + "): connect by a name the certificate holds");
        }
        String alert = Causes.alert(cause);
        if ("protocol_version".equals(alert)) {
            return new Failure(Failure.Kind.REFUSED, Failure.Input.TLS_VERSION,
                    where + " does not accept this TLS version (alert protocol_version)", e);
        }
        if (alert == null && containsMessage(cause, "Unsupported or unrecognized SSL message")) {
            return unreachable(e, where + " answered in plain text, not TLS: is " + settings.endpoint().port()
                    + " its MQTT over TLS port? (a plain MQTT port, often 1883, does this)");
        }
        if (has(cause, NoTlsAnswerException.class)) {
            return unreachable(e, where + " closed the connection without a byte of TLS in answer to our hello: is "
                    + settings.endpoint().port() + " its MQTT over TLS port? (a plain MQTT port, often 1883, does this)");
        }
        if (has(cause, CutBeforeCertificateException.class)) {
            return unreachable(e, where + " closed the connection during the TLS handshake, before asking for our"
                    + " certificate (" + Causes.rootMessage(cause) + "): the network or the broker cut it, which is no"
                    + " refusal of the certificate; is the broker up, and is nothing between us cutting connections?");
        }
        if (alert != null) {
            return refused(e, where + " rejected our client certificate during the TLS handshake (alert " + alert
                    + "): is client_cert.pem issued by a CA the broker trusts, and still valid?");
        }
        if (has(cause, SSLException.class) || has(cause, SocketException.class)
                || e.getReasonCode() == MqttException.REASON_CODE_CONNECTION_LOST) {
            // With TLS 1.3 the server checks our certificate after the client considers the handshake done: a
            // rejection arrives as a closed connection while waiting for CONNACK.
            return refused(e, where + " closed the connection during TLS set-up or CONNECT ("
                    + Causes.describe(e) + "): most often it rejected our client certificate, or requires another TLS version");
        }
        return unreachable(e, "cannot connect to " + where + ": " + Causes.describe(e));
    }

    /** A refused login: without a password, the platform's API key is the likely missing piece. */
    private static Failure credentialsRefused(MqttException e, ConnectionSettings settings, String what) {
        if (settings.password().isEmpty()) {
            return new Failure(Failure.Kind.REFUSED, Failure.Input.PASSWORD, what + ": the broker maps the certificate"
                    + " to an identity and may also want user name = device id and password = the device's API key;"
                    + " the bundle has no api_key.txt", e);
        }
        return refused(e, what + ": the client id and user name must be the device id in the certificate's CN, and"
                + " the password the device's API key (api_key.txt)");
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsMessage(Throwable t, String fragment) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static Failure refused(Throwable e, String message) {
        return new Failure(Failure.Kind.REFUSED, message, e);
    }

    private static Failure unreachable(Throwable e, String message) {
        return new Failure(Failure.Kind.UNREACHABLE, message, e);
    }
}

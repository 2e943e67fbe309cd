package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.ExitStatus;
import com.tesaiot.publish.Failure;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed CONNECT into one line that names the cause. A client certificate the broker rejects shows up
 * in many shapes (a handshake alert, a broken pipe, or with TLS 1.3 a connection lost after the handshake), so
 * the whole cause chain is read, never one message.
 */
final class ConnectFailures {
    private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");

    private ConnectFailures() {
    }

    static Failure explain(MqttException e, ConnectionSettings settings) {
        String where = settings.endpoint().toString();
        String host = settings.endpoint().host();
        switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
                return refused(e, where + " refused the user name or password (CONNACK 4): " + credentialsHint(settings));
            case MqttException.REASON_CODE_NOT_AUTHORIZED:
                return refused(e, where + " refused to authorise client id '" + settings.clientId() + "' (CONNACK 5): "
                        + credentialsHint(settings));
            case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                return refused(e, where + " rejected client id '" + settings.clientId()
                        + "' (CONNACK 2): the client id must be the device id the certificate was issued for");
            case MqttException.REASON_CODE_BROKER_UNAVAILABLE:
                return new Failure(ExitStatus.UNREACHABLE, where + " answered that the MQTT service is unavailable (CONNACK 3): try again later", e);
            default:
                break;
        }
        Throwable cause = e.getCause();
        if (has(cause, UnknownHostException.class)) {
            return unreachable(e, "cannot resolve host '" + host + "': check --broker-host, MQTT_HOST or endpoints.json, and DNS");
        }
        if (has(cause, ConnectException.class)) {
            return unreachable(e, "connection to " + where + " refused: no broker listens there (is it running, and is "
                    + settings.endpoint().port() + " its MQTT over TLS port?)");
        }
        if (has(cause, SocketTimeoutException.class) || has(cause, NoRouteToHostException.class)
                || e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT && cause == null) {
            return unreachable(e, "no answer from " + where + " within " + settings.connectTimeout().toSeconds()
                    + " s: check the host and port, and whether a firewall drops the traffic");
        }
        if (has(cause, CertificateExpiredException.class) || has(cause, CertificateNotYetValidException.class)) {
            return refused(e, "the server certificate of " + where + " is expired or not yet valid: "
                    + rootMessage(cause) + " (check this machine's clock too)");
        }
        if (has(cause, CertPathValidatorException.class) || containsMessage(cause, "unable to find valid certification path")) {
            return refused(e, "the server certificate of " + where + " is not issued by any CA in ca-chain.pem: "
                    + "is the bundle for this broker? (" + rootMessage(cause) + ")");
        }
        if (containsMessage(cause, "No subject alternative") || containsMessage(cause, "No name matching")) {
            return refused(e, "the server certificate of " + where + " is not issued for host '" + host
                    + "' (" + rootMessage(cause) + "): connect by a name the certificate holds");
        }
        String alert = alert(cause);
        if ("protocol_version".equals(alert)) {
            return refused(e, where + " does not accept this TLS version (alert protocol_version): try --tls-version "
                    + "tlsv1.3 or tlsv1.2, whichever the broker allows");
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
                    + describe(e) + "): most often it rejected our client certificate, or requires another TLS version");
        }
        return unreachable(e, "cannot connect to " + where + ": " + describe(e));
    }

    /** A short description of a cause chain for a one-line message: its innermost useful message. */
    static String describe(Throwable t) {
        String alert = alert(t);
        if (alert != null) {
            return "TLS alert " + alert;
        }
        return rootMessage(t);
    }

    private static String credentialsHint(ConnectionSettings settings) {
        if (settings.password().isEmpty()) {
            return "the broker maps the certificate to an identity and may also want user name = device id and"
                    + " password = the device's API key; the bundle has no api_key.txt (or give MQTT_PASSWORD)";
        }
        return "the client id and user name must be the device id in the certificate's CN, and the password the"
                + " device's API key (api_key.txt)";
    }

    private static String alert(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            Matcher m = ALERT.matcher(String.valueOf(c.getMessage()));
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
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

    private static String rootMessage(Throwable t) {
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
        }
        return message == null ? t.getClass().getSimpleName() : message.replaceAll("\\s+", " ").strip();
    }

    private static Failure refused(Throwable e, String message) {
        return new Failure(ExitStatus.REFUSED, message, e);
    }

    private static Failure unreachable(Throwable e, String message) {
        return new Failure(ExitStatus.UNREACHABLE, message, e);
    }
}

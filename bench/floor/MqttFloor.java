import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The JVM's floor for one reading: a single mutual-TLS QoS 1 publish with nothing but the JDK, MQTT 3.1.1 written by
 * hand (CONNECT, CONNACK, PUBLISH, PUBACK, DISCONNECT). A benchmark reference, not part of the tool: whatever a JVM
 * program must pay to publish one message (JVM start, JSSE, one handshake), tesaiot-publish pays too, so its
 * one-reading time is judged against this rather than against a C client.
 *
 * <pre>java MqttFloor HOST PORT CA_PEM CERT_PEM PKCS8_KEY_PEM CLIENT_ID TOPIC PAYLOAD</pre>
 *
 * The key must be unencrypted PKCS#8 ({@code openssl pkcs8 -topk8 -nocrypt}): that is what the JDK reads unaided.
 * The key and the CAs go into key stores of the JDK's default type (PKCS#12), as issue 18 measured its floor; the
 * property {@code floor.keystore} names another type: with {@code JKS} the key is not sealed with PBKDF2 on the way
 * in and out (10 000 HMAC rounds each way, about 0.1 s of a cold JVM), which tesaiot-publish never does either.
 * Like the tool: TLS 1.2, host-name verification, TCP_NODELAY, clean session, keep-alive 60 s.
 */
public final class MqttFloor {
    public static void main(String[] args) throws Exception {
        String storeType = System.getProperty("floor.keystore", KeyStore.getDefaultType());
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");

        KeyStore trust = KeyStore.getInstance(storeType);
        trust.load(null, null);
        int n = 0;
        try (InputStream in = Files.newInputStream(Path.of(args[2]))) {
            for (Certificate ca : x509.generateCertificates(in)) {
                trust.setCertificateEntry("ca" + n++, ca);
            }
        }
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(Path.of(args[3]))) {
            chain = x509.generateCertificates(in).toArray(new Certificate[0]);
        }
        PrivateKey key = pkcs8(Files.readString(Path.of(args[4])), chain[0].getPublicKey().getAlgorithm());
        KeyStore identity = KeyStore.getInstance(storeType);
        identity.load(null, null);
        char[] none = new char[0];
        identity.setKeyEntry("device", key, none, chain);

        KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
        keys.init(identity, none);
        TrustManagerFactory trusted = TrustManagerFactory.getInstance("PKIX");
        trusted.init(trust);
        SSLContext tls = SSLContext.getInstance("TLSv1.2");
        tls.init(keys.getKeyManagers(), trusted.getTrustManagers(), null);

        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port)) {
            socket.setTcpNoDelay(true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(new String[] {"TLSv1.2"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());

            ByteArrayOutputStream connect = new ByteArrayOutputStream();
            string(connect, "MQTT");
            connect.write(4);          // protocol level 3.1.1
            connect.write(0x02);       // clean session, no user name or password
            connect.write(0);
            connect.write(60);         // keep-alive seconds
            string(connect, args[5]);
            packet(out, 0x10, connect.toByteArray());
            byte[] connack = read(in);
            if (connack[0] != 0x20 || connack[3] != 0) {
                throw new IOException("CONNACK refused: return code " + connack[3]);
            }

            ByteArrayOutputStream publish = new ByteArrayOutputStream();
            string(publish, args[6]);
            publish.write(0);
            publish.write(1);          // packet identifier 1
            publish.write(args[7].getBytes(StandardCharsets.UTF_8));
            packet(out, 0x32, publish.toByteArray());  // PUBLISH, QoS 1
            byte[] puback = read(in);
            if ((puback[0] & 0xF0) != 0x40 || puback[2] != 0 || puback[3] != 1) {
                throw new IOException("expected PUBACK for packet 1");
            }
            out.write(new byte[] {(byte) 0xE0, 0});    // DISCONNECT
            out.flush();
        }
    }

    private static PrivateKey pkcs8(String pem, String algorithm) throws Exception {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static void string(ByteArrayOutputStream to, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        to.write(bytes.length >> 8);
        to.write(bytes.length & 0xFF);
        to.write(bytes, 0, bytes.length);
    }

    private static void packet(OutputStream out, int header, byte[] body) throws IOException {
        ByteArrayOutputStream packet = new ByteArrayOutputStream(body.length + 5);
        packet.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body, 0, body.length);
        out.write(packet.toByteArray());
        out.flush();
    }

    /** One short packet (CONNACK or PUBACK: remaining length 2), header included. */
    private static byte[] read(DataInputStream in) throws IOException {
        byte[] packet = new byte[4];
        in.readFully(packet);
        return packet;
    }
}

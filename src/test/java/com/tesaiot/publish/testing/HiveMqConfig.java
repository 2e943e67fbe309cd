package com.tesaiot.publish.testing;

/**
 * HiveMQ CE's config.xml for one TLS listener that requires a client certificate (TLS 1.2 and 1.3), in-memory
 * persistence, no usage statistics, and a queue large enough that counting tests lose nothing. Shared by the
 * embedded broker and the Docker one.
 */
public final class HiveMqConfig {
    private HiveMqConfig() {
    }

    /** For a broker in a container: listens on every interface of the container. */
    public static String xml(int port, String keyStorePath, String trustStorePath, char[] storePassword) {
        return xml(port, "0.0.0.0", keyStorePath, trustStorePath, storePassword);
    }

    static String xml(int port, String bindAddress, String keyStorePath, String trustStorePath, char[] storePassword) {
        String password = new String(storePassword);
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tls-tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <tls>
                                <keystore>
                                    <path>%s</path>
                                    <password>%s</password>
                                    <private-key-password>%s</private-key-password>
                                </keystore>
                                <truststore>
                                    <path>%s</path>
                                    <password>%s</password>
                                </truststore>
                                <protocols>
                                    <protocol>TLSv1.3</protocol>
                                    <protocol>TLSv1.2</protocol>
                                </protocols>
                                <client-authentication-mode>REQUIRED</client-authentication-mode>
                            </tls>
                        </tls-tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>100000</max-queue-size>
                        </queued-messages>
                    </mqtt>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, bindAddress, keyStorePath, password, password, trustStorePath, password);
    }
}

package com.tesaiot.publish.tls;

import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.KeyType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MutualTlsTest {

    @Test
    void theClientCommonNameIsTheCnOfTheClientCertificateNotOfItsIssuer() {
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        MutualTls tls = new MutualTls(null, List.of(pki.issueClient("device-7", KeyType.EC).certificate(),
                pki.intermediate().certificate()), TlsVersion.TLS_1_2, List.of());

        assertEquals(Optional.of("device-7"), tls.clientCommonName());
    }
}

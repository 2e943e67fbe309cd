package com.tesaiot.publish.selftest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.util.Map;
import java.util.jar.JarFile;

import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/**
 * HiveMQ CE depends on an older BouncyCastle than ours; mixed versions fail at run time with NoClassDefFoundError
 * (e.g. IANAObjectIdentifiers). The pom pins the family: this guards the pin.
 */
class BouncyCastleClasspathTest {

    @Test
    void bcprovBcutilAndBcpkixAreOneVersionBesideHiveMq() throws Exception {
        Map<String, String> versions = Map.of(
                "bcprov", bundleVersion(BouncyCastleProvider.class),
                "bcutil", bundleVersion(org.bouncycastle.asn1.cms.ContentInfo.class),
                "bcpkix", bundleVersion(X509v3CertificateBuilder.class));

        assertEquals(1, versions.values().stream().distinct().count(), versions::toString);
        // The class whose absence broke HiveMQ beside a newer bcpkix.
        assertDoesNotThrow(() -> Class.forName("org.bouncycastle.asn1.iana.IANAObjectIdentifiers"));
    }

    private static String bundleVersion(Class<?> type) throws Exception {
        File jar = new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(jar)) {
            return file.getManifest().getMainAttributes().getValue("Bundle-Version");
        }
    }
}

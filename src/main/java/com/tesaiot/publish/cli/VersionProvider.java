package com.tesaiot.publish.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

/**
 * What {@code --version} prints: the version, commit and date Maven wrote into {@code version.properties} at build
 * time, the Java runtime the tool runs on and how it was started (a bug report needs them all).
 */
final class VersionProvider implements IVersionProvider {
    /** Set by the launcher script: the java it runs and the start-up cache it gives that java. */
    static final String LAUNCHER = "tesaiot.publish.launcher";

    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                build.load(in);
            }
        }
        String commit = build.getProperty("commit", "unknown");
        if ("true".equals(build.getProperty("dirty"))) {
            commit += " with uncommitted changes";
        }
        return new String[] {
            "tesaiot-publish " + build.getProperty("version", "(development build)"),
            // The commit's time is the build's: it stamps every jar entry, so the same commit builds the same jar.
            "commit " + commit + ", built " + build.getProperty("date", "unknown"),
            String.format(Locale.ROOT, "Java %s (%s %s) in %s, %s %s", System.getProperty("java.version"),
                    System.getProperty("java.vm.vendor"), System.getProperty("java.vm.name"),
                    System.getProperty("java.home"), System.getProperty("os.name"), System.getProperty("os.arch")),
            // The launcher (src/main/dist) says which java it chose and why, and its start-up cache; java -jar has none.
            "started by " + System.getProperty(LAUNCHER, "java -jar, without the launcher's start-up cache")};
    }
}

package com.tesaiot.publish.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** How the user runs this program and names its files: for the next commands a command prints. */
final class Invocation {
    private static final Path DEFAULT_BUNDLE = Path.of("certs_credentials");
    /** Set by the launcher script (src/main/dist): how the user ran it, its bare name when found on the PATH. */
    static final String LAUNCHER_COMMAND = "tesaiot.publish.command";

    private Invocation() {
    }

    /** Relative to the working directory when inside it: shorter, and what the user typed. */
    static String shown(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = file.toAbsolutePath().normalize();
        return (absolute.startsWith(cwd) ? cwd.relativize(absolute) : absolute).toString();
    }

    /** " --certs-dir DIR", or "" when DIR is the default bundle folder. */
    static String certsDirArgument(Path bundle) {
        return bundle.normalize().equals(DEFAULT_BUNDLE) ? "" : " --certs-dir " + bundle;
    }

    /**
     * How the user started this program: the launcher script as it was typed (it says so in a property), the
     * packages' command by its name, {@code java -jar <jar>} when from the jar, else the program's name.
     */
    static String self(CommandSpec spec) {
        String launcher = System.getProperty(LAUNCHER_COMMAND, "");
        if (!launcher.isBlank()) {
            return launcher;
        }
        String packaged = System.getProperty("jpackage.app-path", ""); // set by jpackage's launchers
        if (!packaged.isBlank()) {
            return Path.of(packaged).getFileName().toString();
        }
        try {
            Path location = Path.of(Invocation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (location.toString().endsWith(".jar")) {
                return "java -jar " + shown(location);
            }
        } catch (RuntimeException | URISyntaxException e) {
            // No code source (an unusual class loader): fall back to the name.
        }
        return spec.root().name();
    }
}

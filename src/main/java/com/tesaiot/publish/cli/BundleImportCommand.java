package com.tesaiot.publish.cli;

import static com.tesaiot.publish.cli.Invocation.shown;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.app.BundleImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code bundle import}: the platform's download (or any bundle) written in the original layout. */
@Command(name = "import",
        versionProvider = VersionProvider.class,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Writes a credential bundle in the original layout (device_id.txt, client_cert.pem, client_key.pem,"
                + " ca-chain.pem, endpoints.json) from the .zip the platform hands out, its unpacked folder, or a"
                + " folder of any layout tesaiot-publish reads. Keys are readable by you only, the folder too.",
            "The zip itself works as --certs-dir without importing; import gives a folder the original script reads.",
            "Never replaces an existing bundle unless --force is given (exit 2)."})
final class BundleImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "The bundle to import: the platform's .zip, or a folder.")
    Path source;

    @Option(names = "--client-key", paramLabel = "FILE",
            description = "The device's own private key: a device enrolled with a CSR made it, and its download has none.")
    Path clientKey;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "certs_credentials",
            description = "Directory to write the bundle to (default ./${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace the bundle files already in --out.")
    boolean force;

    @Override
    public Integer call() throws Failure {
        refuseToReplaceUnlessForced();
        BundleImport.Imported imported;
        try {
            imported = BundleImport.run(source, Optional.ofNullable(clientKey), out, force);
        } catch (Failure f) {
            throw withImportsOwnHint(f);
        }
        tell(imported);
        return ExitCodes.SUCCESS;
    }

    private void refuseToReplaceUnlessForced() throws Failure {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new Failure(Failure.Kind.USAGE, out + " is a file: --out must be a folder");
        }
        String present = BundleImport.BUNDLE_FILES.stream()
                .filter(name -> Files.exists(out.resolve(name))).reduce((a, b) -> a + ", " + b).orElse("");
        if (!present.isEmpty() && !force) {
            throw new Failure(Failure.Kind.USAGE, out + " already holds a bundle (" + present
                    + "): give --force to replace it, or --out another directory");
        }
    }

    /**
     * The failure with a hint naming what import takes: its SOURCE, not the --certs-dir of a run, and no flag that
     * import does not have (--ca-file, --device-id); --client-key it has.
     */
    private static Failure withImportsOwnHint(Failure f) {
        Failure.Input input = f.input().orElse(null);
        if (input == null || input == Failure.Input.CLIENT_KEY || input == Failure.Input.KEY_PASSWORD) {
            return f;
        }
        boolean source = input == Failure.Input.CERTS_DIR || input == Failure.Input.CERTS_DIR_ABSENT;
        return new Failure(f.kind(), f.getMessage() + (source ? " (give SOURCE: the bundle's folder, or the .zip"
                + " downloaded from the platform)" : ""), f);
    }

    private void tell(BundleImport.Imported imported) {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter e = spec.commandLine().getErr();
        imported.notes().forEach(note -> e.println("warning: " + note));
        e.flush();
        o.println("Imported " + imported.from().description() + " " + source + " for device " + imported.deviceId()
                + " into " + shown(imported.out()) + ":");
        int width = imported.files().keySet().stream().mapToInt(f -> shown(f).length()).max().orElse(0);
        for (Map.Entry<Path, String> file : imported.files().entrySet()) {
            o.printf(Locale.ROOT, "  %-" + width + "s  %s%n", shown(file.getKey()), file.getValue());
        }
        String bundle = Invocation.certsDirArgument(out);
        o.println();
        o.println("Next: check the whole round trip, then publish:");
        o.println("  " + Invocation.self(spec) + " check" + bundle + " --publish-test");
        o.println("  " + Invocation.self(spec) + bundle + " --once");
        o.flush();
    }
}

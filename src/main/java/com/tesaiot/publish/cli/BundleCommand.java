package com.tesaiot.publish.cli;

import picocli.CommandLine.Command;

/** {@code bundle}: the group of commands that make credential bundles: {@code create} and {@code import}. */
@Command(name = "bundle",
        versionProvider = VersionProvider.class,
        mixinStandardHelpOptions = true,
        description = "Makes credential bundles: a development one for local testing, or one in the original layout"
                + " from the platform's download.",
        subcommands = {BundleCreateCommand.class, BundleImportCommand.class})
final class BundleCommand {
}

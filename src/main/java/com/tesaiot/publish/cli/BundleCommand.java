package com.tesaiot.publish.cli;

import picocli.CommandLine.Command;

/** {@code bundle}: the group of commands that make credential bundles; only {@code create} for now. */
@Command(name = "bundle",
        versionProvider = VersionProvider.class,
        mixinStandardHelpOptions = true,
        description = "Makes credential bundles for local testing.",
        subcommands = BundleCreateCommand.class)
final class BundleCommand {
}

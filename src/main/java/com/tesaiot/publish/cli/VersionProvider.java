package com.tesaiot.publish.cli;

import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar's manifest. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"tesaiot-publish " + (version == null ? "(development build)" : version)};
    }
}

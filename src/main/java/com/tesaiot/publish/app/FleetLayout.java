package com.tesaiot.publish.app;

/** How {@code bundle create --devices} lays out a fleet directory: the devices in one folder, the CA and the broker beside it. */
public final class FleetLayout {
    /** The development CA that signs every device of the fleet, kept to add more devices later. */
    public static final String CA_FOLDER = "ca";
    /** The local broker's certificate and configurations. */
    public static final String BROKER_FOLDER = "broker";
    /** The devices' bundles, and nothing else: the folder to give fleet --bundles or to copy to a volume. */
    public static final String DEVICES_FOLDER = "devices";

    private FleetLayout() {
    }

    /** The folder name of device number {@code n} (from 1): sorted by name, devices are in the order made. */
    public static String deviceFolder(String prefix, int n) {
        return String.format(java.util.Locale.ROOT, "%s-%05d", prefix, n);
    }
}

package com.tesaiot.publish.cli;

import static com.tesaiot.publish.cli.Invocation.shown;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.app.BundleCreation;
import com.tesaiot.publish.bundle.BrokerHosts;
import com.tesaiot.publish.bundle.BundleLayout;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.LocalBrokerWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code bundle create}: a development CA and a device bundle in the platform's layout, plus the files a local
 * mosquitto or HiveMQ needs to accept it, so the whole mTLS round trip can be tried without a platform account.
 */
@Command(name = "create",
        versionProvider = VersionProvider.class,
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Creates a development CA and a device bundle signed by it, in the original layout (device_id.txt,"
                + " client_cert.pem, client_key.pem, ca-chain.pem, endpoints.json) or, with --layout platform, as the"
                + " platform's download, as a folder or a --zip; and in its broker/ folder a server certificate and key"
                + " for a local broker with mosquitto.conf and HiveMQ's config.xml."
                + " For local testing only: no platform trusts this CA.",
            "With --devices N, a fleet: the bundles in --out/devices, the CA in --out/ca and the broker's files in"
                + " --out/broker, beside the devices' folder, never in it.",
            "Never replaces an existing bundle unless --force is given (exit 2)."})
final class BundleCreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--id", "--device-id"}, paramLabel = "ID",
            description = "Device id: the certificate's CN, the client id and the topic (env DEVICE_ID; default a random UUID).")
    String deviceId;

    @Option(names = "--key-type", paramLabel = "ec|rsa", defaultValue = "ec", converter = KeyTypeConverter.class,
            completionCandidates = KeyTypeConverter.class,
            description = "Key type of the CAs, the device and the server: ec (P-256, as devices make them) or rsa"
                    + " (2048 bits) (default ${DEFAULT-VALUE}).")
    KeyType keyType;

    @Option(names = "--days", paramLabel = "N", defaultValue = "365",
            description = "Days the CA and the certificates are valid (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = {"-h", "--host"}, paramLabel = "NAME",
            description = "A name or IP address the local broker is reached by; repeat for more. The first one goes"
                    + " into endpoints.json (default localhost and 127.0.0.1).")
    List<String> hosts;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "8883",
            description = "The local broker's MQTT-over-TLS port, in endpoints.json and the broker configurations"
                    + " (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--listen", paramLabel = "ADDR",
            description = "The IP address the local broker listens on, in its configurations: 0.0.0.0 for every"
                    + " interface, so other machines can reach it (default 127.0.0.1, this machine only; ::1 when the"
                    + " first --host is ::1).")
    String listen;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "certs_credentials",
            description = "Directory to write the bundle to (default ./${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--force", description = "Replace the bundle files already in --out.")
    boolean force;

    @Option(names = "--layout", paramLabel = "original|platform", defaultValue = "original",
            converter = LayoutConverter.class, completionCandidates = LayoutConverter.class,
            description = "original: device_id.txt, client_cert.pem, client_key.pem, ca-chain.pem, endpoints.json;"
                    + " platform: as the platform's MQTT mTLS download ({id}.pem, {id}.key, ca-chain.pem,"
                    + " mqtt-broker.pem, a nested endpoints.json, mqtt_client_config.h, README.txt)"
                    + " (default ${DEFAULT-VALUE}).")
    BundleLayout layout;

    @Option(names = "--zip",
            description = "Write each device's bundle as one .zip in --out ({id}-mqtts-mtls-bundle-{time}.zip with"
                    + " --layout platform, as the platform names its download; else {id}.zip), for --certs-dir X.zip,"
                    + " or a folder of them for a Kubernetes Secret.")
    boolean zip;

    @Option(names = "--devices", paramLabel = "N",
            description = "Make a fleet instead: N device bundles (device-00001, ...) in --out, signed by one"
                    + " development CA kept in --out/ca, with the broker's files; run them with fleet --bundles.")
    Integer devices;

    @Option(names = "--ca", paramLabel = "DIR",
            description = "With --devices: add the devices to the fleet in DIR, signed by its kept CA (--out defaults to DIR).")
    Path ca;

    @Override
    public Integer call() throws Failure {
        List<String> names = hosts == null || hosts.isEmpty() ? List.of("localhost", "127.0.0.1")
                : hosts.stream().map(String::strip).map(BrokerHosts::unbracketed).toList();
        if (devices != null || ca != null) {
            return createFleet(names);
        }
        String id = deviceId == null || deviceId.isBlank() ? UUID.randomUUID().toString() : deviceId.strip();
        validate(id, names);
        BundleCreation.Created created = BundleCreation.oneDevice(out, id, settings(names), force);
        tell(id, names, created);
        return ExitCodes.SUCCESS;
    }

    private BundleCreation.Settings settings(List<String> names) {
        return new BundleCreation.Settings(keyType, days, names, port, listenAddress(names), layout, zip);
    }

    private Integer createFleet(List<String> names) throws Failure {
        if (devices == null) {
            throw usage("--ca adds devices to a fleet: give --devices N too");
        }
        if (devices < 1 || devices > 100_000) {
            throw usage("--devices must be within 1..100000, not " + devices);
        }
        if (deviceId != null) {
            throw usage("--device-id names one device; a fleet's are numbered (device-00001, ...): leave it out");
        }
        validate("device", names);
        boolean outGiven = spec.commandLine().getParseResult().hasMatchedOption("--out");
        Path fleetOut = ca != null && !outGiven ? ca : out;
        boolean endpointGiven = spec.commandLine().getParseResult().hasMatchedOption("--port") || hosts != null;
        BundleCreation.FleetCreated created = ca != null
                ? BundleCreation.moreDevices(ca, fleetOut, devices, settings(names), endpointGiven)
                : BundleCreation.newFleet(fleetOut, devices, settings(names));
        PrintWriter o = spec.commandLine().getOut();
        List<String> ids = created.deviceIds();
        o.println("Created " + ids.size() + " device bundle(s) " + ids.get(0) + (ids.size() > 1 ? " .. " + ids.get(ids.size() - 1) : "")
                + (zip ? " (a .zip each)" : "") + " in " + shown(created.devicesFolder()) + ".");
        o.println("They are signed by the development CA in " + shown(created.caFolder()) + " (keys readable by you only),"
                + " kept beside " + shown(created.devicesFolder()) + ", not in it: that folder holds only the devices'"
                + " bundles, to copy to a volume as it is.");
        created.broker().ifPresent(broker -> {
            o.println("Local broker files in " + shown(broker.mosquittoConf().getParent()) + ": each device may publish"
                    + " only to device/<its id>/telemetry (mosquitto acl).");
            o.println("No platform trusts this CA: for local testing only.");
            o.println();
            o.println("Next: start the local broker, then run the fleet:");
            o.println("  mosquitto -c " + shown(broker.mosquittoConf()));
        });
        o.println("  " + Invocation.self(spec) + " fleet --bundles " + shown(created.devicesFolder()) + " --count 10 --interval 1");
        o.println("More devices signed by the same CA: " + Invocation.self(spec) + " bundle create --ca " + shown(ca != null ? ca : fleetOut)
                + " --devices N");
        o.flush();
        return ExitCodes.SUCCESS;
    }

    /** The given address, else the loopback the first host names: a bundle for ::1 gets a broker listening there. */
    private String listenAddress(List<String> names) {
        if (listen != null) {
            return listen.strip();
        }
        return names.get(0).equals("::1") || names.get(0).equals("0:0:0:0:0:0:0:1") ? "::1" : "127.0.0.1";
    }

    private void validate(String id, List<String> names) {
        if (!id.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw usage("--device-id '" + id + "' must be 1 to 128 letters, digits, '.', '_', ':' or '-': it goes"
                    + " into the topic device/{id}/telemetry and the certificate's CN");
        }
        if (days < 1 || days > 36_500) {
            throw usage("--days must be within 1..36500, not " + days);
        }
        if (port < 1 || port > 65535) {
            throw usage("--port must be within 1..65535, not " + port);
        }
        if (listen != null && !isIpAddress(listen.strip())) {
            throw usage("--listen '" + listen + "' is not an IP address (0.0.0.0 for every interface)");
        }
        for (String name : names) {
            // A name may be a wildcard (*.example.com); an address must be one (1:2:3:zz, 256.1.1.1 would fail the signing).
            if (!name.matches("[A-Za-z0-9.:*-]+") || BrokerHosts.problemWith(name.replace("*", "w")).isPresent()) {
                throw usage("--host '" + name + "' is not a host name or IP address");
            }
        }
    }

    /** An IPv4 address in dotted decimal, or an IPv6 literal: what a broker's listener binds to. */
    private static boolean isIpAddress(String text) {
        if (text.contains(":")) {
            try {
                InetAddress.getByName(text); // with a colon, parsed as an IPv6 literal and never looked up
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        String[] octets = text.split("\\.", -1);
        return octets.length == 4 && Arrays.stream(octets).allMatch(o -> o.matches("\\d{1,3}") && Integer.parseInt(o) <= 255);
    }

    private void tell(String id, List<String> names, BundleCreation.Created created) {
        PrintWriter o = spec.commandLine().getOut();
        LocalBrokerWriter.Written broker = created.broker();
        o.println("Created a development bundle for device " + id + " (" + keyType.name().replace('_', '-')
                + " keys, valid " + days + " days" + (layout == BundleLayout.MQTT_DOWNLOAD ? ", laid out as the platform's download" : "")
                + "):");
        List<String[]> files = new ArrayList<>();
        if (zip) {
            files.add(new String[] {shown(created.bundle()), "the bundle, readable by you only: " + String.join(", ", created.files())});
        } else {
            for (String file : created.files()) {
                files.add(new String[] {shown(out.resolve(file)), describe(file, id, names)});
            }
        }
        files.add(new String[] {shown(broker.caFile()), "the root CA the broker checks devices against"});
        files.add(new String[] {shown(broker.certificateFile()), "the broker certificate (" + String.join(", ", names)
                + ") and the intermediate CA"});
        files.add(new String[] {shown(broker.keyFile()), "its private key"});
        files.add(new String[] {shown(broker.mosquittoConf()), "mosquitto configuration: listener " + port + " on " + listenAddress(names)
                + ", client certificate required, its CN is the user name"});
        files.add(new String[] {shown(broker.hivemqConfig()), "HiveMQ CE configuration (copy to its conf/), with the"
                + " PKCS#12 stores beside it"});
        int width = files.stream().mapToInt(f -> f[0].length()).max().orElse(0);
        for (String[] f : files) {
            o.printf(Locale.ROOT, "  %-" + width + "s  %s%n", f[0], f[1]);
        }
        o.println("No platform trusts this CA: for local testing only.");
        String check = Invocation.certsDirArgument(zip ? created.bundle() : out);
        o.println();
        o.println("Next: start the local broker, then check the whole round trip and publish:");
        o.println("  mosquitto -c " + shown(broker.mosquittoConf()));
        o.println("  " + Invocation.self(spec) + " check" + check + " --publish-test");
        o.println("  " + Invocation.self(spec) + check + " --count 3 --interval 1");
        o.flush();
    }

    /** What a bundle file is, for the listing. */
    private String describe(String file, String id, List<String> names) {
        return switch (file) {
            case BundleLayout.DEVICE_ID -> "the device id";
            case BundleLayout.CA_CHAIN -> "the CAs the broker's certificate must chain to";
            case BundleLayout.ENDPOINTS -> names.get(0) + ":" + port;
            case BundleLayout.BROKER_CERT -> "the broker's certificate, as the platform's download holds it";
            case "mqtt_client_config.h" -> "C defines for a device's firmware: broker, client id, topic";
            case "README.txt" -> "what this bundle is";
            default -> file.equals(BundleLayout.CLIENT_KEY) || file.equals(id + ".key")
                    ? "its private key, readable by you only"
                    : "the device certificate (CN=" + id + ") and the intermediate CA";
        };
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** original or platform, in any case; the same two are what shell completion offers. */
    static final class LayoutConverter implements ITypeConverter<BundleLayout>, Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("original", "platform").iterator();
        }

        @Override
        public BundleLayout convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "original" -> BundleLayout.ORIGINAL;
                case "platform" -> BundleLayout.MQTT_DOWNLOAD;
                default -> throw new TypeConversionException("'" + value + "' is not a layout: use original or platform");
            };
        }
    }

    /** ec or rsa, in any case; the same two are what shell completion offers. */
    static final class KeyTypeConverter implements ITypeConverter<KeyType>, Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("ec", "rsa").iterator();
        }

        @Override
        public KeyType convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "ec" -> KeyType.EC;
                case "rsa" -> KeyType.RSA;
                default -> throw new TypeConversionException("'" + value + "' is not a key type: use ec or rsa");
            };
        }
    }
}

package com.tesaiot.publish.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.devpki.DevelopmentPki;
import com.tesaiot.publish.devpki.DeviceBundle;
import com.tesaiot.publish.devpki.DeviceBundleWriter;
import com.tesaiot.publish.devpki.KeyType;
import com.tesaiot.publish.devpki.PrivateKeyFormat;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bundle files damaged at random (cut short, bytes flipped, a byte-order mark, a NUL, CRLF, trailing spaces,
 * garbage base64 between PEM markers, huge, empty) run through the preflight of {@code check} and of a publish to
 * a port nothing listens on. Whatever the damage: exit 2 or 3 with one line naming the damaged file, or, when
 * the damage is one the tool tolerates, the preflight passes and the run stops at the unreachable broker (5);
 * never 70, never a stack trace, never the API key or key material. A fixed seed in {@code mvn verify};
 * {@code -Dfuzz.iterations=5000 -Dfuzz.seed=...} for more.
 */
class PreflightFuzzIT {
    private static final long SEED = Long.getLong("fuzz.seed", 20261127L);
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 300);
    private static final List<String> FILES = List.of("device_id.txt", "client_cert.pem", "client_key.pem", "ca-chain.pem",
            "endpoints.json", "api_key.txt");
    private static final String API_KEY = "fuzz-api-key-8d1f0c2e9b7a4e65";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path template;
    private static List<String> keyMaterial;
    /**
     * Bound and never listening, for the whole class: a connection to its port is refused at once, and no other
     * process can take the port meanwhile (a merely free port can be, by a broker of another test).
     */
    private static Socket refusing;

    @BeforeAll
    static void validBundle() throws IOException {
        refusing = new Socket();
        refusing.bind(new InetSocketAddress("127.0.0.1", 0));
        DevelopmentPki pki = DevelopmentPki.create(KeyType.EC, Duration.ofDays(1));
        DeviceBundle bundle = DeviceBundle.of("fuzz-device", pki.issueClient("fuzz-device", KeyType.EC), pki.caChain(),
                "127.0.0.1", refusing.getLocalPort()).withKeyFormat(PrivateKeyFormat.SEC1_EC, null).withApiKey(API_KEY);
        DeviceBundleWriter.write(template, bundle);
        // Any 24 characters in a row of the key's base64 would be a leak.
        String body = Files.readString(template.resolve("client_key.pem")).lines().filter(l -> !l.startsWith("-----"))
                .reduce("", String::concat);
        keyMaterial = new ArrayList<>();
        for (int i = 0; i + 24 <= body.length(); i += 12) {
            keyMaterial.add(body.substring(i, i + 24));
        }
    }

    @AfterAll
    static void releasePort() throws IOException {
        refusing.close();
    }

    @Test
    void everyDamagedBundleIsNamedOrToleratedNeverABugNeverALeak(@TempDir Path work) throws IOException {
        Random random = new Random(SEED);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < ITERATIONS; i++) {
            Path dir = work.resolve("bundle-" + i);
            copy(template, dir);
            String file = FILES.get(random.nextInt(FILES.size()));
            Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
            Path target = dir.resolve(file);
            Files.write(target, mutation.apply(Files.readAllBytes(target), random));
            ToolRun run = preflight(dir, Map.of(), random, file, mutation + " of " + file);
            outcomes.merge(mutation + " " + file + " -> exit " + run.exitCode(), 1, Integer::sum);
            deleteRecursively(dir);
        }
        System.out.println("fuzzed " + ITERATIONS + " bundles with seed " + SEED + ": " + outcomes);
    }

    /**
     * The template bundle zipped as real tools do it, with one to three quirks at random: a wrapping folder named in
     * ASCII, in UTF-8 or in a Windows code page (no UTF-8 flag), ./ prefixes, backslashes, junk and folder entries
     * (names with spaces, control characters, 300 characters), stored instead of deflated; or a zip that must be
     * refused: an entry twice, some entries or all encrypted, names flagged UTF-8 that are not. A zip that only
     * looks unusual must pass the preflight (and stop at the unreachable broker); one that must be refused is named
     * for what it is; never 70, never a stack trace, never the API key or key material.
     */
    @Test
    void everyUnusualZipIsReadOrNamedNeverABugNeverALeak(@TempDir Path work) throws IOException {
        Random random = new Random(SEED + 1);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < Math.max(1, ITERATIONS / 3); i++) {
            java.util.EnumSet<ZipQuirk> quirks = java.util.EnumSet.noneOf(ZipQuirk.class);
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                quirks.add(ZipQuirk.values()[random.nextInt(ZipQuirk.values().length)]);
            }
            Path zip = Files.write(work.resolve("bundle-" + i + ".zip"), ZipQuirk.zip(template, quirks, random));
            ToolRun run = preflight(zip, Map.of(), random, zip.getFileName().toString(), "zip with " + quirks);
            String what = "seed " + (SEED + 1) + " iteration " + i + ": " + quirks + "\n" + run.err() + run.out();
            String refusal = ZipQuirk.refusal(quirks);
            if (refusal == null) {
                assertEquals(5, run.exitCode(), "an unusual but valid zip passes the preflight: " + what);
            } else {
                assertEquals(3, run.exitCode(), what);
                assertTrue((run.out() + run.err()).contains(refusal), "named as '" + refusal + "': " + what);
            }
            outcomes.merge(quirks + " -> exit " + run.exitCode(), 1, Integer::sum);
            Files.delete(zip);
        }
        System.out.println("fuzzed " + Math.max(1, ITERATIONS / 3) + " zips with seed " + (SEED + 1) + ": " + outcomes);
    }

    /**
     * Odd characters in what identifies and logs the device in: api_key.txt, device_id.txt and the user name
     * (MQTT_USERNAME): control characters, spaces of every kind, non-ASCII letters, emoji, direction marks, a
     * byte-order mark inside. A control character in the API key, or anything invisible in the device id, is
     * refused naming the file; the rest passes the preflight; never 70, never the API key printed.
     */
    @Test
    void oddCharactersInCredentialsAreNamedOrUsedNeverABugNeverALeak(@TempDir Path work) throws IOException {
        Random random = new Random(SEED + 2);
        Map<String, Integer> outcomes = new TreeMap<>();
        String[] odd = {"\u0001", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\t", " ", "\u00a0", "\u2003", "\u200b",
            "\ufeff", "\u202e", "é", "中文", "Ω", "\ud83d\ude00", "\r", "\\", "\"", "'", "%s", "$(id)"};
        for (int i = 0; i < Math.max(1, ITERATIONS / 3); i++) {
            Path dir = work.resolve("bundle-" + i);
            copy(template, dir);
            StringBuilder oddText = new StringBuilder();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                oddText.append(odd[random.nextInt(odd.length)]).append(random.nextBoolean() ? "x" : "");
            }
            String inserted = oddText.toString();
            String target = List.of("api_key.txt", "device_id.txt", "MQTT_USERNAME").get(random.nextInt(3));
            Map<String, String> environment = Map.of();
            switch (target) {
                case "api_key.txt" -> Files.writeString(dir.resolve(target), API_KEY.substring(0, 10) + inserted
                        + API_KEY.substring(10) + "\n");
                case "device_id.txt" -> Files.writeString(dir.resolve(target), "fuzz" + inserted + "device\n");
                default -> environment = Map.of("MQTT_USERNAME", "fuzz" + inserted + "user");
            }
            String shown = inserted.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList().toString();
            ToolRun run = preflight(dir, environment, random, target, shown + " in " + target);
            String what = "seed " + (SEED + 2) + " iteration " + i + ": " + shown + " in " + target + "\n" + run.err() + run.out();
            boolean control = inserted.codePoints().anyMatch(Character::isISOControl);
            String stripped = ("fuzz" + inserted + "device").strip();
            if (target.equals("api_key.txt") && control && !inserted.strip().isEmpty()
                    && inserted.strip().codePoints().anyMatch(Character::isISOControl)) {
                assertEquals(3, run.exitCode(), "a control character in the API key is named: " + what);
            }
            if (target.equals("device_id.txt") && com.tesaiot.publish.bundle.DeviceIds.problemWith(stripped).isPresent()) {
                assertEquals(3, run.exitCode(), "a device id that cannot be a client id is named: " + what);
            }
            outcomes.merge(target + (control ? " with a control character" : "") + " -> exit " + run.exitCode(), 1,
                    Integer::sum);
            deleteRecursively(dir);
        }
        System.out.println("fuzzed " + Math.max(1, ITERATIONS / 3) + " credentials with seed " + (SEED + 2) + ": " + outcomes);
    }

    /**
     * The preflight of {@code check} or of a publish to the refusing port, in text or JSON at random: exactly one
     * error line (or failed step), judged by {@link #assertJudged}.
     */
    private static ToolRun preflight(Path bundle, Map<String, String> environment, Random random, String named,
            String damage) throws IOException {
        boolean check = random.nextBoolean();
        boolean json = random.nextBoolean();
        List<String> args = new ArrayList<>(check
                ? List.of("check", "--certs-dir", bundle.toString(), "--connect-timeout", "1")
                : List.of("--certs-dir", bundle.toString(), "--once", "--delivery-timeout", "1", "--connect-timeout", "1"));
        if (json) {
            args.addAll(List.of("--output", "json"));
        }
        ToolRun run = ToolRun.run(environment, args.toArray(String[]::new));
        String what = "seed " + SEED + ": " + damage + " -> " + args + "\n" + run.err() + run.out();
        String error;
        if (json && check) {
            assertTrue(parses(run.out()), "check --output json prints its JSON: " + what + "\nstdout: " + run.out());
            error = failedStep(run.out());
        } else if (check) {
            List<String> failed = run.outLines().stream().filter(l -> l.startsWith("\u2717")).toList();
            assertEquals(1, failed.size(), what + run.out());
            error = failed.get(0);
        } else {
            assertEquals(1, run.err().lines().filter(l -> l.startsWith("error: ")).count(), what);
            error = run.errorLine();
        }
        assertJudged(run, error, named, what);
        return run;
    }

    /** Ways zip tools write a bundle: each a quirk a reader must take, or a reason to refuse the zip. */
    enum ZipQuirk {
        WRAPPER_ASCII, WRAPPER_UTF8, WRAPPER_LEGACY_CODE_PAGE, DOT_SLASH, BACKSLASHES, JUNK_ENTRIES, FOLDER_ENTRIES,
        STORED, DUPLICATE, ENCRYPTED_ALL, ENCRYPTED_ONE, UTF8_FLAG_ON_LEGACY_NAMES;

        /** Not ASCII, and in each of the code pages below: their bytes differ from UTF-8's. */
        private static final String[] LATIN_NAMES = {"Zertifikate für Gerät 7", "certificats de l'appareil été", "bündel (1)"};
        private static final String[] OTHER_NAMES = {"устройство-7", "デバイス", "设备 证书", "Ω device"};

        /** What the one line must say of a zip with these quirks, or null when it must be read. */
        static String refusal(java.util.Set<ZipQuirk> quirks) {
            if (quirks.contains(ENCRYPTED_ALL) || quirks.contains(ENCRYPTED_ONE)) {
                return "encrypted zip: ";
            }
            if (quirks.contains(UTF8_FLAG_ON_LEGACY_NAMES) && quirks.contains(WRAPPER_LEGACY_CODE_PAGE)) {
                return "whose entry names are not UTF-8";
            }
            return quirks.contains(DUPLICATE) ? "holds two entries of one name" : null;
        }

        static byte[] zip(Path bundle, java.util.Set<ZipQuirk> quirks, Random random) throws IOException {
            java.nio.charset.Charset charset = StandardCharsets.UTF_8;
            String wrapper = "";
            if (quirks.contains(WRAPPER_LEGACY_CODE_PAGE)) {
                charset = java.nio.charset.Charset.forName(List.of("IBM437", "IBM850", "windows-1252").get(random.nextInt(3)));
                wrapper = LATIN_NAMES[random.nextInt(LATIN_NAMES.length)] + "/";
            } else if (quirks.contains(WRAPPER_UTF8)) {
                wrapper = (random.nextBoolean() ? OTHER_NAMES[random.nextInt(OTHER_NAMES.length)]
                        : LATIN_NAMES[random.nextInt(LATIN_NAMES.length)]) + "/";
            } else if (quirks.contains(WRAPPER_ASCII)) {
                wrapper = "fuzz-device-mqtts-mtls-bundle/";
            }
            Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
            if (quirks.contains(FOLDER_ENTRIES) && !wrapper.isEmpty()) {
                entries.put(wrapper, new byte[0]);
                entries.put(wrapper + "telemetry/", new byte[0]);
            }
            try (var files = Files.list(bundle)) {
                for (Path f : files.sorted().toList()) {
                    entries.put(wrapper + f.getFileName(), Files.readAllBytes(f));
                }
            }
            if (quirks.contains(JUNK_ENTRIES)) {
                entries.put(wrapper + "README.txt", "read me".getBytes(StandardCharsets.UTF_8));
                entries.put(wrapper + "telemetry/main c.c", "int main;".getBytes(StandardCharsets.UTF_8));
                entries.put(wrapper + "odd\u0001name.txt", new byte[] {1});
                entries.put(wrapper + "n".repeat(300), new byte[0]);
                entries.put("__MACOSX/" + wrapper + "._client_key.pem", new byte[] {0, 5, 22, 7});
                entries.put(wrapper + ".DS_Store", new byte[] {0, 0, 0, 1});
            }
            // The same file again, written so the zip's names differ only by the ./ that readers ignore.
            String duplicate = null;
            if (quirks.contains(DUPLICATE)) {
                List<String> names = List.of("client_key.pem", "client_cert.pem", "endpoints.json", "ca-chain.pem");
                duplicate = (quirks.contains(DOT_SLASH) ? "" : "./") + wrapper + names.get(random.nextInt(names.size()));
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(bytes, charset)) {
                List<Map.Entry<String, byte[]>> all = new ArrayList<>(entries.entrySet());
                if (duplicate != null) {
                    all.add(Map.entry(duplicate, "the other one\n".getBytes(StandardCharsets.UTF_8)));
                }
                for (int i = 0; i < all.size(); i++) {
                    Map.Entry<String, byte[]> e = all.get(i);
                    String name = e.getKey();
                    if (quirks.contains(DOT_SLASH) && (duplicate == null || i < all.size() - 1)) {
                        name = "./" + name;
                    }
                    if (quirks.contains(BACKSLASHES) && !name.endsWith("/")) {
                        name = name.replace('/', '\\');
                    }
                    java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry(name);
                    if (quirks.contains(STORED)) {
                        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                        crc.update(e.getValue());
                        entry.setMethod(java.util.zip.ZipEntry.STORED);
                        entry.setSize(e.getValue().length);
                        entry.setCrc(crc.getValue());
                    }
                    out.putNextEntry(entry);
                    out.write(e.getValue());
                    out.closeEntry();
                }
            }
            return flagged(bytes.toByteArray(), quirks);
        }

        /** The general-purpose flags set after the fact: encryption (bit 0), UTF-8 names (bit 11). */
        private static byte[] flagged(byte[] zip, java.util.Set<ZipQuirk> quirks) {
            boolean one = quirks.contains(ENCRYPTED_ONE) && !quirks.contains(ENCRYPTED_ALL);
            boolean all = quirks.contains(ENCRYPTED_ALL);
            boolean utf8 = quirks.contains(UTF8_FLAG_ON_LEGACY_NAMES);
            int localHeaders = 0;
            int directoryEntries = 0;
            for (int at = 0; at + 10 < zip.length; at++) {
                int signature = (zip[at] & 0xFF) | (zip[at + 1] & 0xFF) << 8 | (zip[at + 2] & 0xFF) << 16 | (zip[at + 3] & 0xFF) << 24;
                int flags = signature == 0x04034b50 ? at + 6 : signature == 0x02014b50 ? at + 8 : -1;
                if (flags < 0) {
                    continue;
                }
                // ENCRYPTED_ONE: the first entry only, in its local header and in the central directory.
                boolean first = signature == 0x04034b50 ? localHeaders++ == 0 : directoryEntries++ == 0;
                if (all || one && first) {
                    zip[flags] |= 1;
                }
                if (utf8) {
                    zip[flags + 1] |= 1 << 3;
                }
            }
            return zip;
        }
    }

    private static void assertJudged(ToolRun run, String error, String file, String what) {
        String all = run.out() + run.err();
        assertFalse(all.contains("\tat "), "a stack trace: " + what);
        assertFalse(all.contains(API_KEY), "the API key was printed: " + what);
        keyMaterial.forEach(k -> assertFalse(all.contains(k), "key material was printed: " + what));
        switch (run.exitCode()) {
            case 2, 3 -> assertTrue(error.contains(file), "the error names " + file + ": " + what);
            case 5 -> assertTrue(error.contains("refused"), "past the preflight, stopped at the broker: " + what);
            default -> fail("exit " + run.exitCode() + ": " + what);
        }
    }

    /** Ways editors, disks and people damage a text file. */
    enum Mutation {
        TRUNCATE {
            byte[] apply(byte[] in, Random r) {
                return java.util.Arrays.copyOf(in, r.nextInt(Math.max(1, in.length)));
            }
        },
        FLIP_BYTES {
            byte[] apply(byte[] in, Random r) {
                byte[] out = in.clone();
                for (int n = 1 + r.nextInt(4); n > 0 && out.length > 0; n--) {
                    out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return out;
            }
        },
        BYTE_ORDER_MARK {
            byte[] apply(byte[] in, Random r) {
                return concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, in);
            }
        },
        NUL {
            byte[] apply(byte[] in, Random r) {
                int at = r.nextInt(in.length + 1);
                return concat(concat(java.util.Arrays.copyOf(in, at), new byte[] {0}), java.util.Arrays.copyOfRange(in, at, in.length));
            }
        },
        WINDOWS_LINES_AND_TRAILING_SPACES {
            byte[] apply(byte[] in, Random r) {
                return new String(in, StandardCharsets.ISO_8859_1).replace("\n", "  \t\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
        },
        GARBAGE_BETWEEN_PEM_MARKERS {
            byte[] apply(byte[] in, Random r) {
                List<String> lines = new ArrayList<>(new String(in, StandardCharsets.ISO_8859_1).lines().toList());
                List<Integer> body = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    if (!lines.get(i).startsWith("-----")) {
                        body.add(i);
                    }
                }
                if (body.isEmpty()) {
                    return FLIP_BYTES.apply(in, r);
                }
                int line = body.get(r.nextInt(body.size()));
                byte[] garbage = new byte[1 + r.nextInt(48)];
                r.nextBytes(garbage);
                String replacement = r.nextBoolean() ? Base64.getEncoder().encodeToString(garbage) : "%%not*base64!!";
                lines.set(line, replacement);
                return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1);
            }
        },
        HUGE {
            byte[] apply(byte[] in, Random r) {
                byte[] out = new byte[2_000_000 + in.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/\n".charAt(r.nextInt(65));
                }
                System.arraycopy(in, 0, out, 0, in.length);
                return out;
            }
        },
        EMPTY {
            byte[] apply(byte[] in, Random r) {
                return new byte[0];
            }
        },
        RANDOM_BYTES {
            byte[] apply(byte[] in, Random r) {
                byte[] out = new byte[r.nextInt(4096)];
                r.nextBytes(out);
                return out;
            }
        };

        abstract byte[] apply(byte[] in, Random r);

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }

    /** The detail of check's failed step, from its JSON. */
    private static String failedStep(String out) throws IOException {
        for (var step : JSON.readTree(out).path("steps")) {
            if ("fail".equals(step.path("status").asText())) {
                return step.path("detail").asText();
            }
        }
        return JSON.readTree(out).path("error").asText();
    }

    private static boolean parses(String out) {
        try {
            JSON.readTree(out);
            return !out.isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}

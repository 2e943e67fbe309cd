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
            boolean check = random.nextBoolean();
            boolean json = random.nextBoolean();
            List<String> args = new ArrayList<>(check
                    ? List.of("check", "--certs-dir", dir.toString(), "--connect-timeout", "1")
                    : List.of("--certs-dir", dir.toString(), "--once", "--delivery-timeout", "1", "--connect-timeout", "1"));
            if (json) {
                args.addAll(List.of("--output", "json"));
            }
            ToolRun run = ToolRun.run(Map.of(), args.toArray(String[]::new));
            String what = "seed " + SEED + " iteration " + i + ": " + mutation + " of " + file + " -> " + args + "\n" + run.err()
                    + run.out();

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
            assertJudged(run, error, file, what);
            outcomes.merge(mutation + " " + file + " -> exit " + run.exitCode(), 1, Integer::sum);
            deleteRecursively(dir);
        }
        System.out.println("fuzzed " + ITERATIONS + " bundles with seed " + SEED + ": " + outcomes);
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

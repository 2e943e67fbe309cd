package com.tesaiot.publish.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.testing.brokers.LoopbackPorts;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/kubernetes as Kubernetes would take it: rendered by {@code kubectl kustomize}, every object checked against
 * the API's schema, and a fleet pod started as the kubelet would start it (its variables expanded, its shell run)
 * with a stand-in {@code java} that records the command line, which the tool itself must then accept. Also: the
 * values are set once, the volumes the pods name exist, the metrics port is exposed and scraped, and the image is
 * the one the workflow publishes.
 */
class FleetJobManifestTest {
    private static final Path KUSTOMIZATION = Path.of("deploy/kubernetes");
    private static final Path POD_MONITOR = Path.of("deploy/kubernetes/podmonitor.yaml");
    private static final Path SCHEMA_CHECK = Path.of("src/test/kubernetes-schema");
    private static final Path WORKFLOW = Path.of(".github/workflows/image.yml");
    private static final Path DOCKERFILE = Path.of("deploy/Dockerfile");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Map<String, Object>> rendered;

    @TempDir
    Path dir;

    @BeforeAll
    static void render() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed: the Kubernetes manifests are not checked");
        Result kustomize = exec(List.of("kubectl", "kustomize", KUSTOMIZATION.toString()), Map.of(), "");
        assertEquals(0, kustomize.code(), "kubectl kustomize " + KUSTOMIZATION + ": " + kustomize.err());
        rendered = new ArrayList<>();
        for (Object document : yaml().loadAll(kustomize.out())) {
            rendered.add(map(document));
        }
    }

    @Test
    void everyObjectRenderedAndThePodMonitorPassTheKubernetesApiSchema() throws Exception {
        List<Map<String, Object>> objects = new ArrayList<>(rendered);
        objects.add(map(yaml().load(Files.readString(POD_MONITOR))));

        Result check = schemaCheck(objects);

        assertEquals(0, check.code(), check.out() + check.err());
        assertEquals(List.of("ok ConfigMap/tesaiot-fleet", "ok PersistentVolumeClaim/tesaiot-fleet-bundles",
                "ok PersistentVolumeClaim/tesaiot-fleet-reports", "ok Job/tesaiot-fleet", "ok Pod/tesaiot-fleet-files",
                "ok PodMonitor/tesaiot-fleet"), check.out().lines().toList());
    }

    @Test
    void theSchemaCheckRefusesAJobThatKubernetesWouldRefuse() throws Exception {
        Map<String, Object> job = map(yaml().load("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: broken}
                spec:
                  completions: four
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{image: x}]
                """));

        Result check = schemaCheck(List.of(job));

        assertEquals(1, check.code(), check.out() + check.err());
        assertTrue(check.out().contains("invalid Job/broken: data/spec/completions must be integer"), check.out());
        assertTrue(check.out().contains("must have required property"), check.out());
    }

    @Test
    void thePodCountIsSetOnceAndEveryShardMayFailOnItsOwn() {
        int pods = Integer.parseInt(settings().get("PODS"));
        Map<String, Object> spec = map(job(), "spec");

        assertEquals("Indexed", spec.get("completionMode"));
        assertEquals(pods, spec.get("completions"), "completions is PODS");
        assertEquals(pods, spec.get("parallelism"), "every shard runs at once");
        assertEquals(0, spec.get("backoffLimitPerIndex"), "a refused shard is not retried: it would publish again");
        assertEquals(pods, spec.get("maxFailedIndexes"), "a failed shard does not stop the others");
        assertNull(spec.get("backoffLimit"), "a Job-wide backoff limit would end every shard at the first failure");
        assertEquals(Boolean.TRUE, spec.get("suspend"), "nothing starts before the bundles volume is filled");
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        assertEquals("Never", pod.get("restartPolicy"));
        assertEquals(Boolean.TRUE, map(pod, "securityContext").get("runAsNonRoot"));
    }

    @Test
    void aFleetPodRunsItsShardWithTheSettingsAndWritesItsReportToTheReportsVolume() throws Exception {
        Map<String, String> settings = settings();
        Map<String, Object> container = fleetContainer();
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Path calledWith = dir.resolve("java-args");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("java"), """
                #!/bin/sh
                printf '%s\\n' "$@" > "$CALLED_WITH"
                echo '{"report": "of this shard"}'
                """);
        assertTrue(bin.resolve("java").toFile().setExecutable(true));

        Map<String, String> environment = new HashMap<>(settings);
        environment.putAll(downwardApi(container, 2, "run-uid"));
        environment.put("PATH", bin + ":" + System.getenv("PATH"));
        environment.put("CALLED_WITH", calledWith.toString());
        environment.put("TESAIOT_JAVA_OPTS", imageJavaOptions()); // the image's ENV, which the pod inherits
        List<String> commandLine = new ArrayList<>();
        for (String word : strings(container.get("command"))) {
            commandLine.add(expand(word, environment).replace(mountPath(container, "reports"), reports.toString()));
        }
        for (String word : strings(container.get("args"))) {
            commandLine.add(expand(word, environment));
        }
        Result started = exec(commandLine, environment, "");

        assertEquals(0, started.code(), started.err());
        assertEquals("{\"report\": \"of this shard\"}\n", Files.readString(reports.resolve("run-uid/shard-2.json")),
                "the pod's JSON report is on the reports volume, in its run's folder, named by its index");
        List<String> java = Files.readAllLines(calledWith);
        List<String> imageJava = imageJavaArguments();
        assertEquals(imageJava, java.subList(0, imageJava.size()),
                "the pod starts the JVM as the image's ENTRYPOINT does, with its JVM options (" + DOCKERFILE + ")");
        List<String> tool = java.subList(imageJava.size(), java.size());
        int pods = Integer.parseInt(settings.get("PODS"));
        assertEquals("fleet", tool.get(0));
        assertEquals(String.valueOf(pods), after(tool, "--shards"), "--shards is the Job's completions");
        assertEquals(String.valueOf(pods * Integer.parseInt(settings.get("DEVICES_PER_POD"))), after(tool, "--devices"));
        assertEquals(settings.get("START_AT"), after(tool, "--start-at"), "every shard starts at the one instant");
        assertEquals(settings.get("COUNT"), after(tool, "--count"));
        assertEquals(settings.get("INTERVAL"), after(tool, "--interval"));
        assertEquals(settings.get("SEED"), after(tool, "--seed"));
        assertEquals("json", after(tool, "--output"));
        assertEquals(mountPath(container, "bundles"), after(tool, "--bundles"));
        assertFalse(tool.contains("--shard"), "a fixed --shard would give every pod the same devices");

        // The tool accepts that command line as the pod's: it gets as far as looking for bundles (in an empty
        // folder, and with a free port for the metrics: the pod's own is fixed, this machine's is shared).
        List<String> args = new ArrayList<>(tool);
        args.set(args.indexOf("--bundles") + 1, Files.createDirectories(dir.resolve("no-bundles")).toString());
        args.set(args.indexOf("--metrics-port") + 1, String.valueOf(LoopbackPorts.free()));
        ToolRun run = ToolRun.run(Map.of("JOB_COMPLETION_INDEX", "2"), args.toArray(String[]::new));
        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.err().contains("holds no bundle"), "the tool refused the pod's command line: " + run.err());
    }

    @Test
    void eachPodKnowsItsIndexAndItsRunFromTheDownwardApi() {
        Map<String, Object> container = fleetContainer();
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']", fieldRef(container, "JOB_COMPLETION_INDEX"));
        assertEquals("metadata.labels['batch.kubernetes.io/controller-uid']", fieldRef(container, "RUN"));
        assertTrue(list(container, "envFrom").stream().anyMatch(e -> "tesaiot-fleet".equals(map(e, "configMapRef").get("name"))),
                "the settings reach the pod");
    }

    @Test
    void everyVolumeClaimIsDefinedAndTheFilesPodCanWriteBothVolumes() {
        List<String> claims = rendered.stream().filter(o -> "PersistentVolumeClaim".equals(o.get("kind")))
                .map(o -> (String) map(o, "metadata").get("name")).toList();
        for (Map<String, Object> pod : List.of(map(map(map(job(), "spec"), "template"), "spec"), map(object("Pod", "tesaiot-fleet-files"), "spec"))) {
            for (Map<String, Object> volume : list(pod, "volumes")) {
                if (volume.containsKey("persistentVolumeClaim")) {
                    assertTrue(claims.contains(map(volume, "persistentVolumeClaim").get("claimName")), volume + " in " + claims);
                }
            }
        }
        assertEquals(Boolean.TRUE, mount(fleetContainer(), "bundles").get("readOnly"), "the fleet only reads the bundles");
        assertNull(mount(fleetContainer(), "reports").get("readOnly"), "each shard writes its report");
        Map<String, Object> files = list(map(object("Pod", "tesaiot-fleet-files"), "spec"), "containers").get(0);
        assertNull(mount(files, "bundles").get("readOnly"), "the operator fills the bundles volume through it");
        assertNull(mount(files, "reports").get("readOnly"));
        assertEquals(fleetContainer().get("image"), files.get("image"), "the files pod has the tool, for fleet merge");
    }

    @Test
    void theMetricsPortIsExposedAnnotatedAndScrapedByThePodMonitor() throws IOException {
        Map<String, Object> container = fleetContainer();
        String port = after(strings(container.get("args")), "--metrics-port");
        Map<String, Object> containerPort = list(container, "ports").get(0);
        assertEquals(Integer.parseInt(port), containerPort.get("containerPort"));
        Map<String, Object> template = map(map(job(), "spec"), "template");
        Map<String, Object> annotations = map(map(template, "metadata"), "annotations");
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(port, annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));

        Map<String, Object> monitor = map(yaml().load(Files.readString(POD_MONITOR)));
        Map<String, Object> endpoint = list(map(monitor, "spec"), "podMetricsEndpoints").get(0);
        assertEquals(containerPort.get("name"), endpoint.get("port"));
        Map<String, Object> labels = new HashMap<>(map(map(template, "metadata"), "labels"));
        labels.put("batch.kubernetes.io/job-name", map(job(), "metadata").get("name")); // set by the Job controller
        map(map(map(monitor, "spec"), "selector"), "matchLabels")
                .forEach((key, value) -> assertEquals(value, labels.get(key), "the PodMonitor selects the fleet's pods: " + key));
    }

    @Test
    void theJobRunsTheImageTheWorkflowPublishes() throws IOException {
        String image = (String) fleetContainer().get("image");
        String workflowImage = (String) map(yaml().load(Files.readString(WORKFLOW)), "env").get("IMAGE");
        String repository = workflowImage.substring(workflowImage.lastIndexOf('/'));
        assertTrue(image.startsWith("ghcr.io/") && image.contains(repository + ":"), image + " vs " + workflowImage);
        assertTrue(image.substring(image.lastIndexOf(':') + 1).matches("\\d+\\.\\d+\\.\\d+"), "a released version: " + image);
    }

    @Test
    void theImageRunsTheToolAsANonRootUser() throws IOException {
        List<String> lines = Files.readAllLines(DOCKERFILE);
        assertTrue(lines.stream().anyMatch(l -> l.matches("USER 10001(:10001)?")), "a numeric non-root user");
        assertTrue(entryPoint().get(2).contains(" -jar "), entryPoint().toString());
        assertEquals(10001, map(map(map(map(job(), "spec"), "template"), "spec"), "securityContext").get("runAsUser"));
    }

    // --- the rendered objects

    private static Map<String, Object> object(String kind, String name) {
        return rendered.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(map(o, "metadata").get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    private static Map<String, Object> job() {
        return object("Job", "tesaiot-fleet");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> settings() {
        return (Map<String, String>) (Map<?, ?>) map(object("ConfigMap", "tesaiot-fleet"), "data");
    }

    private static Map<String, Object> fleetContainer() {
        List<Map<String, Object>> containers = list(map(map(map(job(), "spec"), "template"), "spec"), "containers");
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static Map<String, Object> mount(Map<String, Object> container, String volume) {
        return list(container, "volumeMounts").stream().filter(m -> volume.equals(m.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of " + volume + " in " + container.get("name")));
    }

    private static String mountPath(Map<String, Object> container, String volume) {
        return (String) mount(container, volume).get("mountPath");
    }

    private static String fieldRef(Map<String, Object> container, String variable) {
        Map<String, Object> env = list(container, "env").stream().filter(e -> variable.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + variable + " in the pod's environment"));
        return (String) map(map(env, "valueFrom"), "fieldRef").get("fieldPath");
    }

    /** What the downward API gives a pod with this index of a Job with this uid. */
    private static Map<String, String> downwardApi(Map<String, Object> container, int index, String uid) {
        Map<String, String> values = Map.of(
                "metadata.annotations['batch.kubernetes.io/job-completion-index']", String.valueOf(index),
                "metadata.labels['batch.kubernetes.io/controller-uid']", uid);
        Map<String, String> environment = new HashMap<>();
        for (Map<String, Object> env : list(container, "env")) {
            String field = (String) map(map(env, "valueFrom"), "fieldRef").get("fieldPath");
            assertTrue(values.containsKey(field), "a field the Job controller sets: " + field);
            environment.put((String) env.get("name"), values.get(field));
        }
        return environment;
    }

    /** Kubernetes' expansion of command and args: $(NAME) from the container's environment, $$ for a dollar. */
    private static String expand(String word, Map<String, String> environment) {
        Matcher m = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(word);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(1) == null ? "$" : environment.getOrDefault(m.group(1), m.group());
            m.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(expanded).toString();
    }

    /** The image's ENTRYPOINT, as its exec-form JSON array. */
    private static List<String> entryPoint() throws IOException {
        String line = Files.readAllLines(DOCKERFILE).stream().filter(l -> l.startsWith("ENTRYPOINT ["))
                .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no exec-form ENTRYPOINT"));
        return StreamSupport.stream(JSON.readTree(line.substring("ENTRYPOINT ".length())).spliterator(), false)
                .map(n -> n.asText()).toList();
    }

    /** The image's JVM options: its {@code ENV TESAIOT_JAVA_OPTS}, which its ENTRYPOINT passes to java. */
    private static String imageJavaOptions() throws IOException {
        String prefix = "ENV TESAIOT_JAVA_OPTS=";
        String line = Files.readAllLines(DOCKERFILE).stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + DOCKERFILE));
        return line.substring(prefix.length()).replace("\"", "");
    }

    /**
     * The arguments java gets from the image's ENTRYPOINT ({@code sh -c "exec java $TESAIOT_JAVA_OPTS -jar JAR \"$@\""}),
     * before the tool's own: the JVM options, then {@code -jar} and the jar.
     */
    private static List<String> imageJavaArguments() throws IOException {
        List<String> entryPoint = entryPoint();
        assertEquals(List.of("/bin/sh", "-c"), entryPoint.subList(0, 2), "the ENTRYPOINT runs java behind a shell");
        List<String> words = List.of(entryPoint.get(2).split(" "));
        assertEquals(List.of("exec", "java", "$TESAIOT_JAVA_OPTS", "-jar"), words.subList(0, 4), entryPoint.get(2));
        List<String> arguments = new ArrayList<>(List.of(imageJavaOptions().split(" ")));
        arguments.addAll(List.of("-jar", words.get(4)));
        return arguments;
    }

    // --- processes

    private record Result(int code, String out, String err) {
    }

    private static Result schemaCheck(List<Map<String, Object>> objects) throws Exception {
        assumeTrue(onPath("node"), "node is not installed: the schema check needs Node 20 or newer");
        // Skipped with its reason, as the EMQX-shaped broker's tests are, so that `mvn verify` on a machine with only
        // a JDK and Maven passes; .ci/run installs the packages, and there the check runs.
        assumeTrue(Files.isDirectory(SCHEMA_CHECK.resolve("node_modules")), "the schema check's packages are not"
                + " installed: run `npm ci --prefix " + SCHEMA_CHECK + "` (.ci/run does)");
        return exec(List.of("node", SCHEMA_CHECK.resolve("validate.mjs").toString()), Map.of(), JSON.writeValueAsString(objects));
    }

    private static Result exec(List<String> command, Map<String, String> environment, String stdin) throws Exception {
        Path out = Files.createTempFile("manifest-test", ".out");
        Path err = Files.createTempFile("manifest-test", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command.get(0) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    // --- YAML as maps

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            throw new AssertionError("no " + key + " in " + parent.keySet());
        }
        return map(value);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            throw new AssertionError("no " + key + " in " + parent.keySet());
        }
        return (List<Map<String, Object>>) value;
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    private static String after(List<String> args, String option) {
        int at = args.indexOf(option);
        assertTrue(at >= 0 && at + 1 < args.size(), option + " in " + args);
        return args.get(at + 1);
    }
}

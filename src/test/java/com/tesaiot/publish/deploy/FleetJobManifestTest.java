package com.tesaiot.publish.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes Indexed Job, the image workflow and the Dockerfile agree: the image the workflow publishes is the
 * one the Job runs, each pod takes its shard from its completion index, and --shards is the Job's size.
 */
class FleetJobManifestTest {
    private static final Path MANIFEST = Path.of("deploy/kubernetes/fleet-job.yaml");
    private static final Path WORKFLOW = Path.of(".github/workflows/image.yml");
    private static final Path DOCKERFILE = Path.of("deploy/Dockerfile");

    @Test
    void theJobRunsOneShardPerPodOfTheImageTheWorkflowPublishes() throws IOException {
        Map<String, Object> job = yaml(MANIFEST);
        assertEquals("batch/v1", job.get("apiVersion"));
        assertEquals("Job", job.get("kind"));
        Map<String, Object> spec = map(job, "spec");
        assertEquals("Indexed", spec.get("completionMode"));
        int completions = (Integer) spec.get("completions");
        assertEquals(completions, spec.get("parallelism"), "every shard runs at once");

        Map<String, Object> pod = map(map(spec, "template"), "spec");
        assertEquals("Never", pod.get("restartPolicy"));
        assertEquals(Boolean.TRUE, map(pod, "securityContext").get("runAsNonRoot"));
        List<Map<String, Object>> containers = list(pod, "containers");
        assertEquals(1, containers.size());
        Map<String, Object> container = containers.get(0);

        List<String> args = strings(container.get("args"));
        assertEquals("fleet", args.get(0));
        assertEquals(String.valueOf(completions), after(args, "--shards"), "--shards is the Job's completions");
        assertEquals("json", after(args, "--output"), "each pod prints its report for fleet merge");
        assertTrue(!args.contains("--shard"), "a fixed --shard would give every pod the same devices");

        Map<String, Object> index = list(container, "env").stream()
                .filter(e -> "JOB_COMPLETION_INDEX".equals(e.get("name"))).findFirst().orElseThrow();
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']",
                map(map(index, "valueFrom"), "fieldRef").get("fieldPath"));

        String bundles = after(args, "--bundles");
        assertTrue(list(container, "volumeMounts").stream().anyMatch(m -> bundles.equals(m.get("mountPath"))
                        && Boolean.TRUE.equals(m.get("readOnly"))), "--bundles is the read-only bundles volume");

        String image = (String) container.get("image");
        String workflowImage = (String) map(yaml(WORKFLOW), "env").get("IMAGE");
        String repository = workflowImage.substring(workflowImage.lastIndexOf('/'));
        assertTrue(image.startsWith("ghcr.io/") && image.contains(repository + ":"), image + " vs " + workflowImage);
        assertTrue(image.substring(image.lastIndexOf(':') + 1).matches("\\d+\\.\\d+\\.\\d+"), "a released version: " + image);
    }

    @Test
    void theImageRunsTheToolAsANonRootUser() throws IOException {
        List<String> lines = Files.readAllLines(DOCKERFILE);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FROM eclipse-temurin:17-jre")), "a maintained Java 17 JRE");
        assertTrue(lines.stream().anyMatch(l -> l.matches("USER 10001(:10001)?")), "a numeric non-root user");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ENTRYPOINT [") && l.contains("tesaiot-publish.jar")));
        Map<String, Object> pod = map(map(map(yaml(MANIFEST), "spec"), "template"), "spec");
        assertEquals(10001, map(pod, "securityContext").get("runAsUser"));
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.get(key);
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

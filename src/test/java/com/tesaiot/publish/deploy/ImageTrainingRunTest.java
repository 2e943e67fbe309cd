package com.tesaiot.publish.deploy;

import com.tesaiot.publish.testing.brokers.LoopbackPorts;
import com.tesaiot.publish.testing.tool.ToolRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image's AOT training step ({@code deploy/Dockerfile}) runs the tool twice, {@code bundle create} then
 * {@code fleet}: both command lines must be ones the tool accepts, or {@code docker build} stops there. Docker does
 * not run on every machine, so they are run here as the Dockerfile writes them, with its folder and port replaced.
 */
class ImageTrainingRunTest {
    private static final Path DOCKERFILE = Path.of("deploy/Dockerfile");
    private static final Pattern TOOL_RUN = Pattern.compile("-jar \"\\$jar\" (bundle create|fleet) ([^;]*);");

    @TempDir
    Path dir;

    @Test
    void theFleetOfTheTrainingStepReadsTheBundlesItsBundleCreateMade() throws Exception {
        String dockerfile = Files.readString(DOCKERFILE).replace("\\\n", " ");
        Matcher runs = TOOL_RUN.matcher(dockerfile);
        List<String> create = new ArrayList<>(List.of("bundle", "create"));
        List<String> fleet = new ArrayList<>(List.of("fleet"));
        while (runs.find()) {
            (runs.group(1).equals("fleet") ? fleet : create).addAll(List.of(runs.group(2).replaceAll(">\\S+", "")
                    .trim().split("\\s+")));
        }
        assertTrue(create.size() > 2 && fleet.size() > 1, "no bundle create and fleet runs in " + DOCKERFILE);
        String training = create.get(create.indexOf("--out") + 1);
        String port = String.valueOf(LoopbackPorts.free()); // nothing listens there: the fleet's devices are refused
        create.set(create.indexOf("--out") + 1, dir.resolve("training").toString());
        create.set(create.indexOf("--port") + 1, port);
        fleet.replaceAll(word -> word.startsWith(training) ? dir.resolve("training") + word.substring(training.length())
                : word);

        ToolRun made = ToolRun.run(create.toArray(String[]::new));
        assertEquals(0, made.exitCode(), made.err());
        ToolRun trained = ToolRun.run(fleet.toArray(String[]::new));

        assertFalse(trained.err().contains("give that folder"), trained.err());
        assertTrue(trained.err().contains("Fleet of 50 device(s)"), "the fleet ran its devices: " + trained.err());
    }
}

package com.tesaiot.publish.report;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code check} shows on standard output: a checklist, one line per step as it finishes ({@code ✓} passed,
 * {@code !} a warning, {@code ✗} failed, with the fix), or with {@code --output json} the same as one JSON object
 * at the end, for CI.
 */
public final class CheckReport {
    /** How a step ended. */
    public enum Status {
        OK("✓", "+"), WARN("!", "!"), FAIL("✗", "x");

        private final String mark;
        private final String asciiMark;

        Status(String mark, String asciiMark) {
            this.mark = mark;
            this.asciiMark = asciiMark;
        }

        @JsonValue
        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One line of the checklist; {@code facts} are the step's findings as fields, for JSON readers. */
    public record Step(String name, Status status, String detail,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> facts) {
        public Step {
            facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts)); // keeps their order
        }
    }

    private record Result(boolean ok, @JsonProperty("exit_code") int exitCode, List<Step> steps) {
    }

    public enum Format { TEXT, JSON, JSONL }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Wide enough for the longest step name, so the details line up. */
    private static final int NAME_WIDTH = 8;

    private final PrintWriter out;
    private final Format format;
    private final boolean unicodeMarks;
    private final List<Step> steps = new ArrayList<>();

    /**
     * @param out standard output; its encoding is the JVM's default charset (Java 17 takes it from the locale),
     *            and where that cannot encode ✓ and ✗ (a C/POSIX locale) the marks are ASCII: + x !
     */
    public CheckReport(PrintWriter out, Format format) {
        this(out, format, Charset.defaultCharset().newEncoder().canEncode(Status.OK.mark + Status.FAIL.mark));
    }

    CheckReport(PrintWriter out, Format format, boolean unicodeMarks) {
        this.out = out;
        this.format = format;
        this.unicodeMarks = unicodeMarks;
    }

    public void passed(String name, String detail) {
        add(new Step(name, Status.OK, detail, Map.of()));
    }

    public void passed(String name, String detail, Map<String, String> facts) {
        add(new Step(name, Status.OK, detail, facts));
    }

    public void warned(String name, String detail) {
        add(new Step(name, Status.WARN, detail, Map.of()));
    }

    public void failed(String name, String detail) {
        add(new Step(name, Status.FAIL, detail, Map.of()));
    }

    /** Ends the report: the closing line of the checklist, or the JSON object. */
    public void finish(int exitCode, String closingLine) {
        if (format == Format.JSON) {
            try {
                out.println(JSON.writeValueAsString(new Result(exitCode == 0, exitCode, steps)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e); // plain strings and numbers only: cannot happen
            }
        } else if (format == Format.JSONL) {
            out.println(JSON.createObjectNode().put("type", "result").put("ok", exitCode == 0).put("exit_code", exitCode));
        } else if (closingLine != null) {
            out.println(closingLine);
        }
        out.flush();
    }

    private void add(Step step) {
        steps.add(step);
        if (format == Format.JSONL) {
            // The type first, so a reader of mixed lines can tell them apart before it reads the rest.
            ObjectNode line = JSON.createObjectNode().put("type", "step");
            line.setAll((ObjectNode) JSON.valueToTree(step));
            out.println(line);
            out.flush();
        } else if (format == Format.TEXT) {
            // Printed as it happens: a step that waits for a timeout should not leave the screen blank.
            out.println((unicodeMarks ? step.status().mark : step.status().asciiMark) + " "
                    + String.format(Locale.ROOT, "%-" + NAME_WIDTH + "s", step.name()) + step.detail());
            out.flush();
        }
    }
}

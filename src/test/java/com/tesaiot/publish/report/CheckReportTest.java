package com.tesaiot.publish.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The checklist's two forms: aligned lines as steps end, or one JSON object at the end. */
class CheckReportTest {
    private final StringWriter out = new StringWriter();

    private void someSteps(CheckReport report) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("protocol", "TLSv1.3");
        facts.put("cipher_suite", "TLS_AES_128_GCM_SHA256");
        report.passed("tls", "handshake done", facts);
        report.warned("tls", "expires soon");
        report.failed("mqtt", "refused \"x\"");
    }

    @Test
    void printsOneAlignedLinePerStepWithItsMark() {
        CheckReport report = new CheckReport(new PrintWriter(out), CheckReport.Format.TEXT, true);
        someSteps(report);
        report.finish(4, null);

        assertEquals(List.of("✓ tls     handshake done", "! tls     expires soon", "✗ mqtt    refused \"x\""),
                out.toString().lines().toList());
    }

    @Test
    void fallsBackToAsciiMarksWhereTheOutputCannotEncodeThem() {
        CheckReport report = new CheckReport(new PrintWriter(out), CheckReport.Format.TEXT, false);
        someSteps(report);
        report.finish(4, null);

        assertEquals(List.of("+ tls     handshake done", "! tls     expires soon", "x mqtt    refused \"x\""),
                out.toString().lines().toList());
    }

    @Test
    void writesOneJsonObjectAtTheEndWithFactsInOrderAndNoEmptyFacts() throws Exception {
        CheckReport report = new CheckReport(new PrintWriter(out), CheckReport.Format.JSON, true);
        someSteps(report);
        assertEquals("", out.toString(), "nothing before the end");
        report.finish(4, "a closing line is for text only");

        assertEquals(1, out.toString().lines().count());
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertFalse(result.get("ok").asBoolean());
        assertEquals(4, result.get("exit_code").asInt());
        assertEquals("{\"name\":\"tls\",\"status\":\"ok\",\"detail\":\"handshake done\",\"facts\":"
                + "{\"protocol\":\"TLSv1.3\",\"cipher_suite\":\"TLS_AES_128_GCM_SHA256\"}}", result.get("steps").get(0).toString());
        assertEquals("{\"name\":\"mqtt\",\"status\":\"fail\",\"detail\":\"refused \\\"x\\\"\"}", result.get("steps").get(2).toString());
    }
}

package com.tesaiot.publish.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What a dry run prints on standard output: the payloads a real run would send, one JSON object per line (text
 * and {@code --output jsonl}), or all of them in one JSON object with their topic ({@code --output json}).
 */
public interface DryRunOutput {
    void payload(byte[] json);

    void finish();

    /** One payload per line, exactly as it would be published. */
    static DryRunOutput lines(PrintWriter out) {
        return new DryRunOutput() {
            @Override
            public void payload(byte[] json) {
                out.println(new String(json, StandardCharsets.UTF_8));
            }

            @Override
            public void finish() {
                out.flush();
            }
        };
    }

    /** {@code {"type":"dry_run","topic":...,"payloads":[...],"count":N}}, for a script that reads one object. */
    static DryRunOutput oneObject(PrintWriter out, String topic) {
        try {
            JsonGenerator json = new JsonFactory().createGenerator(out);
            json.writeStartObject();
            json.writeStringField("type", "dry_run");
            json.writeStringField("topic", topic);
            json.writeArrayFieldStart("payloads");
            return new DryRunOutput() {
                private long count;

                @Override
                public void payload(byte[] payload) {
                    try {
                        json.writeRawValue(new String(payload, StandardCharsets.UTF_8));
                        count++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void finish() {
                    try {
                        json.writeEndArray();
                        json.writeNumberField("count", count);
                        json.writeEndObject();
                        json.flush();
                        out.println();
                        out.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package com.tesaiot.publish.app;

/** What a run prints for machines: nothing (a text summary for people), one JSON summary, or a line per message too. */
public enum OutputFormat {
    TEXT, JSON, JSONL
}

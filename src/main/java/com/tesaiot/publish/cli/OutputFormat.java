package com.tesaiot.publish.cli;

/** What a run prints for machines: nothing (a text summary for people), one JSON summary, or a line per message too. */
enum OutputFormat {
    TEXT, JSON, JSONL
}

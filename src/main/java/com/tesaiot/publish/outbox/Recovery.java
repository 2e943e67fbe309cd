package com.tesaiot.publish.outbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What recovery found in the journal: the readings to send first, oldest first, and the lines it could not read
 * (1-based line numbers), kept verbatim in {@code keptIn}.
 */
public record Recovery(List<StoredMessage> messages, List<Integer> unreadableLines, Optional<Path> keptIn) {

    /** The journal's lines replayed: what is still owed, and what could not be read, as it was read. */
    record Replayed(List<StoredMessage> messages, List<Integer> unreadableLines, List<String> unreadableText) {
    }

    /** Replays {@code lines}: a reading handed over and never settled is owed; a blank line is nothing. */
    static Replayed replay(List<String> lines) {
        Map<Long, StoredMessage> owed = new LinkedHashMap<>();
        List<Integer> unreadable = new ArrayList<>();
        List<String> unreadableText = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Optional<JournalRecord> record = JournalRecord.parse(line);
            if (record.isEmpty()) {
                unreadable.add(i + 1);
                unreadableText.add(line);
            } else if (record.get() instanceof JournalRecord.Sent sent) {
                owed.put(sent.sequence(), sent.message());
            } else if (record.get() instanceof JournalRecord.Settled settled) {
                owed.remove(settled.sequence());
            }
        }
        return new Replayed(List.copyOf(owed.values()), List.copyOf(unreadable), List.copyOf(unreadableText));
    }

    /** One line for the user about the unreadable lines; empty when there were none. */
    public Optional<String> damage(Path journal) {
        if (unreadableLines.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(journal + " has " + unreadableLines.size() + " unreadable line(s) (line "
                + unreadableLines.stream().limit(20).map(String::valueOf).collect(Collectors.joining(", "))
                + (unreadableLines.size() > 20 ? ", ..." : "") + "), kept verbatim in " + keptIn.orElseThrow());
    }
}

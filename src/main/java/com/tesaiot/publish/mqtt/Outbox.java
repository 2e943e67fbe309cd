package com.tesaiot.publish.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.Failure;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Readings not yet acknowledged, kept on disk so that a killed run loses none: the next run with the same
 * outbox sends them first. A journal of JSON lines, one when a message is handed to the publisher and one when
 * the broker acknowledges it, each written through to the operating system at once (a killed process keeps
 * what it wrote; surviving a power cut would need an fsync per message, which we do not pay). A message that
 * failed stays in the outbox for the next run.
 */
public final class Outbox implements AutoCloseable {
    private static final String JOURNAL = "journal.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path journal;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private BufferedWriter writer;
    private long unacknowledged;

    /** A message from an earlier run that was never acknowledged. */
    public record StoredMessage(String topic, int qos, byte[] payload) {
    }

    private Outbox(Path journal, FileChannel lockChannel, FileLock lock) {
        this.journal = journal;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating) the outbox directory; one run at a time may use it. */
    public static Outbox open(Path directory) throws Failure {
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new Failure(Failure.Kind.USAGE, "outbox " + directory + " is in use by another run: give each run an outbox of its own");
            }
            return new Outbox(directory.resolve(JOURNAL), channel, lock);
        } catch (IOException e) {
            throw new Failure(Failure.Kind.LOCAL_IO, "cannot use outbox " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The messages earlier runs left unacknowledged, oldest first; the journal then starts anew with the
     * caller's numbering: the returned messages are to be published as sequences 0, 1, 2, ...
     */
    public List<StoredMessage> recover() throws Failure {
        Map<Long, StoredMessage> pending = new LinkedHashMap<>();
        if (Files.exists(journal)) {
            try (var lines = Files.lines(journal, StandardCharsets.UTF_8)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    readRecord(line, pending);
                }
            } catch (IOException | UncheckedIOException e) {
                throw new Failure(Failure.Kind.LOCAL_IO, "cannot read outbox journal " + journal + ": " + e.getMessage(), e);
            }
        }
        List<StoredMessage> recovered = new ArrayList<>(pending.values());
        try {
            // Renumbered into a new journal that replaces the old one in one step: a kill in between leaves the
            // old journal, never none.
            Path fresh = journal.resolveSibling(JOURNAL + ".new");
            writer = Files.newBufferedWriter(fresh, StandardCharsets.UTF_8);
            for (int i = 0; i < recovered.size(); i++) {
                StoredMessage m = recovered.get(i);
                writeSent(i, m.topic(), m.qos(), m.payload());
            }
            writer.close();
            Files.move(fresh, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            writer = Files.newBufferedWriter(journal, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new Failure(Failure.Kind.LOCAL_IO, "cannot write outbox journal " + journal + ": " + e.getMessage(), e);
        }
        return recovered;
    }

    private static void readRecord(String line, Map<Long, StoredMessage> pending) {
        if (line.isBlank()) {
            return;
        }
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (IOException e) {
            return; // a line cut short by the kill: its message was never handed to the broker
        }
        if (record.has("ack")) {
            pending.remove(record.get("ack").asLong());
        } else if (record.has("seq") && record.has("payload") && record.has("topic") && record.has("qos")) {
            pending.put(record.get("seq").asLong(), new StoredMessage(record.get("topic").asText(),
                    record.get("qos").asInt(), record.get("payload").asText().getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Notes a message before it is published. */
    public synchronized void sent(long sequence, String topic, int qos, byte[] payload) {
        try {
            writeSent(sequence, topic, qos, payload);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write outbox journal " + journal, e);
        }
    }

    private void writeSent(long sequence, String topic, int qos, byte[] payload) throws IOException {
        unacknowledged++;
        writer.write(JSON.createObjectNode().put("seq", sequence).put("topic", topic).put("qos", qos)
                .put("payload", new String(payload, StandardCharsets.UTF_8)).toString());
        writer.newLine();
        writer.flush();
    }

    /** Wraps {@code listener} so that every acknowledgement is also struck from the outbox. */
    public DeliveryListener striking(DeliveryListener listener) {
        return new DeliveryListener() {
            @Override
            public void acknowledged(long sequence, long latencyNanos) {
                strike(sequence);
                listener.acknowledged(sequence, latencyNanos);
            }

            @Override
            public void failed(long sequence, Throwable cause) {
                listener.failed(sequence, cause);
            }

            @Override
            public void redelivered(long sequence) {
                listener.redelivered(sequence);
            }

            @Override
            public void connectionLost(Throwable cause) {
                listener.connectionLost(cause);
            }

            @Override
            public void reconnected(int attempts) {
                listener.reconnected(attempts);
            }
        };
    }

    private synchronized void strike(long sequence) {
        try {
            unacknowledged--;
            writer.write(JSON.createObjectNode().put("ack", sequence).toString());
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write outbox journal " + journal, e);
        }
    }

    /** Closes the journal, and deletes it when nothing in it awaits acknowledgement, so it does not grow run by run. */
    @Override
    public synchronized void close() {
        try {
            if (writer != null) {
                writer.close();
                if (unacknowledged == 0) {
                    Files.deleteIfExists(journal);
                }
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // What was written is flushed; a lock left behind is released by the operating system at exit.
        }
    }
}

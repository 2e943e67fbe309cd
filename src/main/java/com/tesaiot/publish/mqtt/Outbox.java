package com.tesaiot.publish.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tesaiot.publish.Failure;
import com.tesaiot.publish.LocalIo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Readings not yet acknowledged, kept on disk so that a killed run loses none: the next run with the same
 * outbox sends them first. A journal of JSON lines, one when a message is handed to the publisher and one when
 * the broker acknowledges it. Each line goes to the operating system in one write, and a write the disk cut
 * short is cut back off, so a line is complete or absent (surviving a power cut would need an fsync per message,
 * which we do not pay). A line that cannot be read all the same (a hand edit, a power cut) is never dropped
 * silently: recovery names it and keeps it verbatim beside the journal. The directory and its files are the
 * owner's only: the readings are a patient's vital signs.
 */
public final class Outbox implements AutoCloseable {
    private static final String JOURNAL = "journal.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final Path journal;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Clock clock;
    private FileChannel writer;
    private long unacknowledged;
    /** The first write that failed where nobody could be told at once (an acknowledgement, on Paho's thread). */
    private Failure writeFailure;

    /** A message from an earlier run that was never acknowledged. */
    public record StoredMessage(String topic, int qos, byte[] payload) {
    }

    /**
     * What recovery found: the messages to send first, and the journal lines it could not read (1-based line
     * numbers), kept verbatim in {@code keptIn}.
     */
    public record Recovery(List<StoredMessage> messages, List<Integer> unreadableLines, Optional<Path> keptIn) {
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

    private Outbox(Path directory, FileChannel lockChannel, FileLock lock, Clock clock) {
        this.directory = directory;
        this.journal = directory.resolve(JOURNAL);
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.clock = clock;
    }

    /** Opens (creating, owner-only) the outbox directory; one run at a time may use it. */
    public static Outbox open(Path directory) throws Failure {
        return open(directory, Clock.systemUTC());
    }

    static Outbox open(Path directory, Clock clock) throws Failure {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, ownerOnly("rwx------"));
            }
            FileChannel channel = createOwnerOnly(directory.resolve("lock"), StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by another run in this same JVM
            }
            if (lock == null) {
                channel.close();
                throw new Failure(Failure.Kind.USAGE, "outbox " + directory + " is in use by another run: give each run an outbox of its own");
            }
            return new Outbox(directory, channel, lock, clock);
        } catch (IOException e) {
            throw LocalIo.failure("cannot use outbox", directory, e);
        }
    }

    /** The journal's path, for messages. */
    public Path journal() {
        return journal;
    }

    /**
     * The messages earlier runs left unacknowledged, oldest first; the journal then starts anew with the
     * caller's numbering: the returned messages are to be published as sequences 0, 1, 2, .... Lines that cannot
     * be read are kept verbatim in a file beside the journal; unless {@code goOnPastDamage}, that is a failure
     * and the journal is left as it was.
     */
    public Recovery recover(boolean goOnPastDamage) throws Failure {
        Map<Long, StoredMessage> pending = new LinkedHashMap<>();
        List<Integer> unreadable = new ArrayList<>();
        List<String> unreadableText = new ArrayList<>();
        if (Files.exists(journal)) {
            List<String> lines;
            try {
                // Lenient decoding: a damaged byte spoils its own line, which is then kept as it was read.
                lines = new String(Files.readAllBytes(journal), StandardCharsets.UTF_8).lines().toList();
            } catch (IOException e) {
                throw LocalIo.failure("cannot read outbox journal", journal, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                if (!readRecord(lines.get(i), pending)) {
                    unreadable.add(i + 1);
                    unreadableText.add(lines.get(i));
                }
            }
        }
        Optional<Path> keptIn = Optional.empty();
        if (!unreadable.isEmpty()) {
            keptIn = Optional.of(keep(unreadableText));
        }
        Recovery recovery = new Recovery(List.copyOf(pending.values()), List.copyOf(unreadable), keptIn);
        if (!unreadable.isEmpty() && !goOnPastDamage) {
            throw new Failure(Failure.Kind.LOCAL_IO, recovery.damage(journal).orElseThrow() + "; the journal is left as"
                    + " it was: repair or remove those lines, or go on without them (" + recovery.messages().size()
                    + " readable reading(s) would be sent)");
        }
        startJournal(recovery.messages());
        return recovery;
    }

    /** Returns false for a line that is not a complete record. */
    private static boolean readRecord(String line, Map<Long, StoredMessage> pending) {
        if (line.isBlank()) {
            return true;
        }
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (IOException e) {
            return false;
        }
        if (record == null || !record.isObject()) {
            return false;
        }
        if (record.path("ack").canConvertToLong() && record.size() == 1) {
            pending.remove(record.get("ack").asLong());
            return true;
        }
        if (record.path("seq").canConvertToLong() && record.path("topic").isTextual() && record.path("qos").isInt()
                && record.path("payload").isTextual()) {
            pending.put(record.get("seq").asLong(), new StoredMessage(record.get("topic").asText(),
                    record.get("qos").asInt(), record.get("payload").asText().getBytes(StandardCharsets.UTF_8)));
            return true;
        }
        return false;
    }

    /** Writes the unreadable lines, as read, to a new file beside the journal. */
    private Path keep(List<String> lines) throws Failure {
        String stamp = STAMP.format(clock.instant());
        for (int n = 0; ; n++) {
            Path file = directory.resolve("unreadable-" + stamp + (n == 0 ? "" : "-" + n) + ".jsonl");
            try (FileChannel channel = createOwnerOnly(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(channel, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
                return file;
            } catch (FileAlreadyExistsException e) {
                // A run in the same second kept its own copy: take the next name.
            } catch (IOException e) {
                throw LocalIo.failure("cannot keep the unreadable lines of the outbox journal in", file, e);
            }
        }
    }

    /**
     * Renumbered into a new journal that replaces the old one in one step: a kill in between leaves the old
     * journal, never none.
     */
    private void startJournal(List<StoredMessage> recovered) throws Failure {
        Path fresh = journal.resolveSibling(JOURNAL + ".new");
        try {
            Files.deleteIfExists(fresh);
            writer = createOwnerOnly(fresh, StandardOpenOption.WRITE);
            for (int i = 0; i < recovered.size(); i++) {
                StoredMessage m = recovered.get(i);
                unacknowledged++;
                append(sentRecord(i, m.topic(), m.qos(), m.payload()));
            }
            writer.force(false);
            writer.close();
            Files.move(fresh, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            writer = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            closeQuietly();
            try {
                Files.deleteIfExists(fresh);
            } catch (IOException ignored) {
                // The old journal is intact; a stale .new file is overwritten by the next recovery.
            }
            throw LocalIo.failure("cannot write outbox journal", fresh, e);
        }
    }

    /** Notes a message before it is published; a disk that refuses it fails the run, naming the disk's reason. */
    public synchronized void sent(long sequence, String topic, int qos, byte[] payload) throws Failure {
        if (writeFailure != null) {
            throw writeFailure;
        }
        try {
            append(sentRecord(sequence, topic, qos, payload));
            unacknowledged++;
        } catch (IOException e) {
            writeFailure = LocalIo.failure("cannot write outbox journal", journal, e);
            throw writeFailure;
        }
    }

    /** The first journal write that failed, if one did. */
    public synchronized Optional<Failure> writeFailure() {
        return Optional.ofNullable(writeFailure);
    }

    private static byte[] sentRecord(long sequence, String topic, int qos, byte[] payload) {
        return line(JSON.createObjectNode().put("seq", sequence).put("topic", topic).put("qos", qos)
                .put("payload", new String(payload, StandardCharsets.UTF_8)));
    }

    private static byte[] line(JsonNode record) {
        return (record.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One line, in one write; what a full disk let through of it is cut back off, so no half line remains. */
    private void append(byte[] line) throws IOException {
        long size = writer.size();
        try {
            writeFully(writer, line);
        } catch (IOException e) {
            try {
                writer.truncate(size);
            } catch (IOException ignored) {
                // Truncating frees space and rarely fails; if it does, recovery names the half line.
            }
            throw e;
        }
    }

    private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Wraps {@code listener} so that every acknowledgement is also struck from the outbox. */
    public DeliveryListener striking(DeliveryListener listener) {
        return new ForwardingDeliveryListener(listener) {
            @Override
            public void acknowledged(long sequence, long latencyNanos) {
                strike(sequence);
                super.acknowledged(sequence, latencyNanos);
            }

            @Override
            public void written(long sequence) {
                strike(sequence);
                super.written(sequence);
            }
        };
    }

    /**
     * An acknowledgement the disk refuses is remembered, not thrown (it arrives on Paho's thread): the message
     * then stays in the journal and the next run sends it again, a duplicate rather than a loss.
     */
    private synchronized void strike(long sequence) {
        unacknowledged--;
        if (writer == null || writeFailure != null) {
            return;
        }
        try {
            append(line(JSON.createObjectNode().put("ack", sequence)));
        } catch (IOException e) {
            unacknowledged = Long.MAX_VALUE; // keep the journal: it no longer says what was acknowledged
            writeFailure = LocalIo.failure("cannot write outbox journal", journal, e);
        }
    }

    /** Closes the journal, and deletes it when nothing in it awaits acknowledgement, so it does not grow run by run. */
    @Override
    public synchronized void close() {
        try {
            if (writer != null) {
                writer.close();
                if (unacknowledged == 0 && writeFailure == null) {
                    Files.deleteIfExists(journal);
                }
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // What was written is with the operating system; a lock left behind is released at exit.
        }
    }

    private void closeQuietly() {
        try {
            if (writer != null) {
                writer.close();
            }
        } catch (IOException ignored) {
            // Already failing; the caller reports the first cause.
        }
        writer = null;
    }

    private static FileChannel createOwnerOnly(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> all = new java.util.HashSet<>(List.of(options));
        if (!all.contains(StandardOpenOption.CREATE_NEW)) {
            all.add(StandardOpenOption.CREATE);
        }
        return FileChannel.open(file, all, ownerOnly("rw-------"));
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }
}

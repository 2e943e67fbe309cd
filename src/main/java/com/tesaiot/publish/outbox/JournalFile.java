package com.tesaiot.publish.outbox;

import com.tesaiot.publish.Failure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The outbox directory on disk: its lock (one run at a time), the journal file and the files kept beside it. Each
 * line goes to the operating system in one write, and a write the disk cut short is cut back off, so a line is
 * complete or absent (surviving a power cut would need an fsync per message, which we do not pay). The directory
 * and its files are the owner's only: the readings are a patient's vital signs. Every operation is bounded in time
 * ({@link BoundedIo}).
 */
final class JournalFile {
    static final String NAME = "journal.jsonl";

    private final Path directory;
    private final Path journal;
    private final BoundedIo io;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel writer;

    private record Locked(FileChannel channel, FileLock lock) {
    }

    private JournalFile(Path directory, BoundedIo io, Locked locked) {
        this.directory = directory;
        this.journal = directory.resolve(NAME);
        this.io = io;
        this.lockChannel = locked.channel();
        this.lock = locked.lock();
    }

    /** Creates {@code directory} (owner-only) where it is not yet, within {@code bound}; fails as opening it would. */
    static void createDirectory(Path directory, Duration bound) throws Failure {
        try (BoundedIo io = new BoundedIo(bound)) {
            io.run("cannot use outbox", directory, () -> {
                createOwnerOnlyDirectory(directory);
                return null;
            });
        }
    }

    private static void createOwnerOnlyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, ownerOnly("rwx------"));
        }
    }

    /** Opens (creating, owner-only) {@code directory} and takes its lock; each file operation waits at most {@code bound}. */
    static JournalFile open(Path directory, Duration bound) throws Failure {
        BoundedIo io = new BoundedIo(bound);
        Locked locked;
        try {
            locked = io.run("cannot use outbox", directory, () -> {
                createOwnerOnlyDirectory(directory);
                FileChannel channel = createOwnerOnly(directory.resolve("lock"), StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held by another run in this same JVM
                }
                if (lock == null) {
                    channel.close();
                    return null;
                }
                return new Locked(channel, lock);
            });
        } catch (Failure | RuntimeException e) {
            io.close();
            throw e;
        }
        if (locked == null) {
            io.close();
            throw new Failure(Failure.Kind.USAGE, "outbox " + directory + " is in use by another run: give each run an outbox of its own");
        }
        return new JournalFile(directory, io, locked);
    }

    Path path() {
        return journal;
    }

    /** The journal's lines, decoded leniently (a damaged byte spoils its own line only); none when there is no journal. */
    List<String> lines() throws Failure {
        return io.run("cannot read outbox journal", journal, () -> Files.exists(journal)
                ? new String(Files.readAllBytes(journal), StandardCharsets.UTF_8).lines().toList()
                : List.of());
    }

    /** Writes {@code lines}, as read, to a new file beside the journal named after {@code stamp}, and returns it. */
    Path keep(List<String> lines, String stamp) throws Failure {
        return io.run("cannot keep the unreadable lines of the outbox journal in", directory, () -> {
            for (int n = 0; ; n++) {
                Path file = directory.resolve("unreadable-" + stamp + (n == 0 ? "" : "-" + n) + ".jsonl");
                try (FileChannel channel = createOwnerOnly(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    writeFully(channel, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
                    return file;
                } catch (FileAlreadyExistsException e) {
                    // A run in the same second kept its own copy: take the next name.
                }
            }
        });
    }

    /**
     * A new journal holding {@code records}, which replaces the old one in one step: a kill in between leaves the
     * old journal, never none. Appends go to it from then on.
     */
    void startAnew(List<JournalRecord> records) throws Failure {
        Path fresh = journal.resolveSibling(NAME + ".new");
        io.run("cannot write outbox journal", fresh, () -> {
            try {
                Files.deleteIfExists(fresh);
                writer = createOwnerOnly(fresh, StandardOpenOption.WRITE);
                for (JournalRecord record : records) {
                    append(record.line());
                }
                writer.force(false);
                writer.close();
                Files.move(fresh, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                writer = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                return null;
            } catch (IOException e) {
                closeWriterQuietly();
                try {
                    Files.deleteIfExists(fresh);
                } catch (IOException ignored) {
                    // The old journal is intact; a stale .new file is overwritten by the next recovery.
                }
                throw e;
            }
        });
    }

    /** Appends one record to the journal. */
    void append(JournalRecord record) throws Failure {
        byte[] line = record.line();
        io.run("cannot write outbox journal", journal, () -> {
            append(line);
            return null;
        });
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

    /**
     * Closes the journal, deleting it when {@code nothingOwed}, and releases the lock. A file system that stopped
     * answering is not waited for again: what was written is with the operating system, and the lock goes at exit.
     */
    void close(boolean nothingOwed) {
        if (!io.stuck()) {
            try {
                io.run("cannot close outbox journal", journal, () -> {
                    if (writer != null) {
                        writer.close();
                        if (nothingOwed) {
                            Files.deleteIfExists(journal);
                        }
                    }
                    lock.release();
                    lockChannel.close();
                    return null;
                });
            } catch (Failure e) {
                // Closing changes nothing the run reports: the journal holds what it held.
            }
        }
        io.close();
    }

    /** Whether a journal is open for appending (recovery has run and succeeded). */
    boolean open() {
        return writer != null;
    }

    private void closeWriterQuietly() {
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
        Set<OpenOption> all = new HashSet<>(List.of(options));
        if (!all.contains(StandardOpenOption.CREATE_NEW)) {
            all.add(StandardOpenOption.CREATE);
        }
        return FileChannel.open(file, all, ownerOnly("rw-------"));
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }
}

package com.tesaiot.publish.outbox;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.mqtt.DeliveryListener;
import com.tesaiot.publish.testing.faults.SmallDisk;
import com.tesaiot.publish.testing.mqtt.IgnoredDeliveries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest {
    private static final String TOPIC = "device/d/telemetry";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T13:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static byte[] reading(long i) {
        return ("{\"reading\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A run that handed {@code count} readings over and had the first {@code acknowledged} acknowledged. */
    private void earlierRun(int count, int acknowledged) throws Failure {
        try (Outbox outbox = Outbox.open(dir, CLOCK, Outbox.IO_BOUND)) {
            outbox.recover(false);
            DeliveryListener striking = outbox.striking(new IgnoredDeliveries());
            for (int i = 0; i < count; i++) {
                outbox.sent(i, TOPIC, 1, reading(i));
            }
            for (int i = 0; i < acknowledged; i++) {
                striking.acknowledged(i, 1);
            }
        }
    }

    private static List<String> payloads(Recovery recovery) {
        return recovery.messages().stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void theNextRunGetsExactlyTheReadingsNotAcknowledgedOldestFirst() throws Failure {
        earlierRun(5, 2);

        try (Outbox outbox = Outbox.open(dir, CLOCK, Outbox.IO_BOUND)) {
            Recovery recovery = outbox.recover(false);
            assertEquals(List.of("{\"reading\":2}", "{\"reading\":3}", "{\"reading\":4}"), payloads(recovery));
            assertTrue(recovery.unreadableLines().isEmpty());
        }
    }

    @Test
    void aPendingLineCutShortIsNamedKeptVerbatimAndStopsTheRunWithTheJournalUntouched() throws Exception {
        earlierRun(75, 0);
        Path journal = dir.resolve("journal.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        String damaged = lines.get(40).substring(0, lines.get(40).length() / 2);
        lines.set(40, damaged);
        Files.write(journal, lines);
        byte[] before = Files.readAllBytes(journal);

        try (Outbox outbox = Outbox.open(dir, CLOCK, Outbox.IO_BOUND)) {
            Failure failure = assertThrows(Failure.class, () -> outbox.recover(false));

            assertEquals(Failure.Kind.LOCAL_IO, failure.kind());
            assertTrue(failure.getMessage().contains("1 unreadable line(s) (line 41)"), failure.getMessage());
            assertTrue(failure.getMessage().contains("74 readable reading(s)"), failure.getMessage());
            Path kept = dir.resolve("unreadable-20261127T130000Z.jsonl");
            assertTrue(failure.getMessage().contains(kept.toString()), failure.getMessage());
            assertEquals(List.of(damaged), Files.readAllLines(kept));
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(journal)), "the journal is left as it was");
    }

    @Test
    void toldToGoOnItSendsTheReadableReadingsAndTheDamagedLineStaysKept() throws Exception {
        earlierRun(3, 0);
        Path journal = dir.resolve("journal.jsonl");
        Files.writeString(journal, "{\"seq\":7,\"topic\":\"dev\u0000\n", java.nio.file.StandardOpenOption.APPEND);

        try (Outbox outbox = Outbox.open(dir, CLOCK, Outbox.IO_BOUND)) {
            Recovery recovery = outbox.recover(true);

            assertEquals(3, recovery.messages().size());
            assertEquals(List.of(4), recovery.unreadableLines());
            assertEquals(List.of("{\"seq\":7,\"topic\":\"dev\u0000"), Files.readAllLines(recovery.keptIn().orElseThrow()));
            assertTrue(recovery.damage(journal).orElseThrow().contains("line 4"));
        }
        try (Outbox outbox = Outbox.open(dir, CLOCK, Outbox.IO_BOUND)) {
            assertTrue(outbox.recover(false).unreadableLines().isEmpty(), "the rewritten journal holds no damage");
        }
    }

    @Test
    void anOutboxWhoseReadingsAreAllAcknowledgedIsEmptied() throws Failure {
        earlierRun(4, 4);

        assertTrue(Files.notExists(dir.resolve("journal.jsonl")));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void theOutboxAndItsJournalAreTheOwnersOnly(@TempDir Path parent) throws Exception {
        Path outboxDir = parent.resolve("outbox");
        try (Outbox outbox = Outbox.open(outboxDir, CLOCK, Outbox.IO_BOUND)) {
            outbox.recover(false);
            outbox.sent(0, TOPIC, 1, reading(0));

            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(outboxDir)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(outbox.journal())));
        }
    }

    @Test
    void aFileWhereTheOutboxDirectoryShouldBeIsNamedAsSuch(@TempDir Path parent) throws Exception {
        Path file = Files.writeString(parent.resolve("outbox"), "x");

        Failure failure = assertThrows(Failure.class, () -> Outbox.open(file, CLOCK, Outbox.IO_BOUND));

        assertEquals(Failure.Kind.LOCAL_IO, failure.kind());
        assertEquals("cannot use outbox " + file + ": a file is there, not a directory", failure.getMessage());
    }

    @Test
    void aSecondRunOnTheSameOutboxIsToldToUseItsOwn() throws Failure {
        try (Outbox first = Outbox.open(dir, CLOCK, Outbox.IO_BOUND)) {
            Failure failure = assertThrows(Failure.class, () -> Outbox.open(dir, CLOCK, Outbox.IO_BOUND));
            assertTrue(failure.getMessage().contains("is in use by another run"), failure.getMessage());
        }
    }

    @Test
    void aFullDiskIsNamedWithThePathAndLeavesOnlyCompleteLines() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), "64k")) {
            Path outboxDir = disk.root().resolve("outbox");
            byte[] big = new byte[3000];
            java.util.Arrays.fill(big, (byte) 'x');
            Failure failure;
            int written = 0;
            try (Outbox outbox = Outbox.open(outboxDir, CLOCK, Outbox.IO_BOUND)) {
                outbox.recover(false);
                while (true) {
                    try {
                        outbox.sent(written, TOPIC, 1, big);
                        written++;
                    } catch (Failure e) {
                        failure = e;
                        break;
                    }
                }
            }

            assertEquals(Failure.Kind.LOCAL_IO, failure.kind());
            assertTrue(failure.getMessage().contains("no space left on device"), failure.getMessage());
            assertTrue(failure.getMessage().contains(outboxDir.resolve("journal.jsonl").toString()), failure.getMessage());
            try (Outbox outbox = Outbox.open(outboxDir, CLOCK, Outbox.IO_BOUND)) {
                Recovery recovery = outbox.recover(false);
                assertEquals(written, recovery.messages().size(), "every reading written before the disk filled is kept");
                assertTrue(recovery.unreadableLines().isEmpty(), "no half-written line");
            } catch (Failure rewriteOnFullDisk) {
                // Recovery rewrites the journal, which a disk this full may refuse: named as such, not lost.
                assertTrue(rewriteOnFullDisk.getMessage().contains("no space left on device"), rewriteOnFullDisk.getMessage());
                assertTrue(Files.readAllLines(outboxDir.resolve("journal.jsonl")).size() == written);
            }
        }
    }

    @Test
    void aQosZeroReadingWrittenIsStruckLikeAnAcknowledgedOneAndNeverSentAgain() throws Failure {
        try (Outbox outbox = Outbox.open(dir, CLOCK, Outbox.IO_BOUND)) {
            outbox.recover(false);
            outbox.sent(0, TOPIC, 0, reading(0));
            outbox.sent(1, TOPIC, 0, reading(1));
            outbox.striking(new IgnoredDeliveries()).written(0);
        }

        try (Outbox outbox = Outbox.open(dir, CLOCK, Outbox.IO_BOUND)) {
            assertEquals(List.of("{\"reading\":1}"), payloads(outbox.recover(false)));
        }
    }

    /**
     * A FIFO where the journal should be blocks a read in the kernel until someone writes, as a frozen file system
     * blocks every read: no interrupt reaches that thread.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aJournalThatNeverAnswersBecomesANamedLocalIoFailureInsteadOfAHang() throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        mkfifo(journal);
        try {
            Outbox outbox = Outbox.open(dir, CLOCK, Duration.ofMillis(300));

            Failure failure = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(Failure.class, () -> outbox.recover(false)));

            assertEquals(Failure.Kind.LOCAL_IO, failure.kind());
            assertEquals("cannot read outbox journal " + journal + ": its file system did not answer within 300 ms"
                    + " (frozen, or a network mount that hangs?)", failure.getMessage());
            Failure next = assertTimeoutPreemptively(Duration.ofSeconds(1),
                    () -> assertThrows(Failure.class, () -> outbox.sent(0, TOPIC, 1, reading(0))));
            assertEquals(failure.getMessage(), next.getMessage(), "later writes fail at once, the same way");
            assertTimeoutPreemptively(Duration.ofSeconds(1), outbox::close, "closing waits for nothing stuck");
        } finally {
            release(journal);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anOutboxWhoseLockNeverOpensBecomesANamedLocalIoFailureInsteadOfAHang() throws Exception {
        Path lock = dir.resolve("lock");
        mkfifo(lock);
        try {
            Failure failure = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(Failure.class, () -> Outbox.open(dir, CLOCK, Duration.ofMillis(300))));

            assertEquals(Failure.Kind.LOCAL_IO, failure.kind());
            assertTrue(failure.getMessage().startsWith("cannot use outbox " + dir + ": its file system did not answer"),
                    failure.getMessage());
        } finally {
            release(lock);
        }
    }

    private static void mkfifo(Path path) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
    }

    /** Opening a FIFO for reading and writing never blocks, and lets the thread stuck on its other end go on. */
    private static void release(Path fifo) throws Exception {
        new RandomAccessFile(fifo.toFile(), "rw").close();
    }
}

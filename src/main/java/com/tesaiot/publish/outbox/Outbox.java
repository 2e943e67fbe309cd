package com.tesaiot.publish.outbox;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.mqtt.DeliveryListener;
import com.tesaiot.publish.mqtt.ForwardingDeliveryListener;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Readings not yet acknowledged, kept on disk so that a killed run loses none: the next run with the same outbox
 * sends them first. A journal ({@link JournalFile}) of records ({@link JournalRecord}): one when a reading is handed
 * to the publisher, one when the broker acknowledges it. A line that cannot be read (a hand edit, a power cut) is
 * never dropped silently: {@link Recovery} names it and it is kept verbatim beside the journal. A file system that
 * stops answering becomes a named local I/O failure after {@link #IO_BOUND}, not a run that hangs.
 */
public final class Outbox implements AutoCloseable {
    /** How long one file operation of the outbox may take before its file system counts as not answering. */
    public static final Duration IO_BOUND = Duration.ofSeconds(10);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final JournalFile file;
    private final Clock clock;
    private long unacknowledged;
    /** The first write that failed where nobody could be told at once (an acknowledgement, on Paho's thread). */
    private Failure writeFailure;

    private Outbox(JournalFile file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** Opens (creating, owner-only) the outbox directory; one run at a time may use it. */
    public static Outbox open(Path directory) throws Failure {
        return open(directory, Clock.systemUTC(), IO_BOUND);
    }

    /**
     * Makes sure {@code directory} can hold outboxes (a fleet's, one folder a device), creating it: a file there or
     * a read-only disk is then one failure of the run, not a refusal of every device.
     */
    public static void createParent(Path directory) throws Failure {
        JournalFile.createDirectory(directory, IO_BOUND);
    }

    static Outbox open(Path directory, Clock clock, Duration ioBound) throws Failure {
        return new Outbox(JournalFile.open(directory, ioBound), clock);
    }

    /** The journal's path, for messages. */
    public Path journal() {
        return file.path();
    }

    /**
     * The messages earlier runs left unacknowledged, oldest first; the journal then starts anew with the
     * caller's numbering: the returned messages are to be published as sequences 0, 1, 2, .... Lines that cannot
     * be read are kept verbatim in a file beside the journal; unless {@code goOnPastDamage}, that is a failure
     * and the journal is left as it was.
     */
    public Recovery recover(boolean goOnPastDamage) throws Failure {
        Recovery.Replayed replayed = Recovery.replay(file.lines());
        Optional<Path> keptIn = replayed.unreadableLines().isEmpty() ? Optional.empty()
                : Optional.of(file.keep(replayed.unreadableText(), STAMP.format(clock.instant())));
        Recovery recovery = new Recovery(replayed.messages(), replayed.unreadableLines(), keptIn);
        if (!recovery.unreadableLines().isEmpty() && !goOnPastDamage) {
            throw new Failure(Failure.Kind.LOCAL_IO, recovery.damage(file.path()).orElseThrow() + "; the journal is left as"
                    + " it was: repair or remove those lines, or go on without them (" + recovery.messages().size()
                    + " readable reading(s) would be sent)");
        }
        List<JournalRecord> renumbered = new ArrayList<>();
        for (int i = 0; i < recovery.messages().size(); i++) {
            renumbered.add(new JournalRecord.Sent(i, recovery.messages().get(i)));
        }
        file.startAnew(renumbered);
        synchronized (this) {
            unacknowledged = renumbered.size();
        }
        return recovery;
    }

    /**
     * Notes a message before it is published; a disk that refuses it (or does not answer) fails the run, naming the
     * disk's reason.
     */
    public synchronized void sent(long sequence, String topic, int qos, byte[] payload) throws Failure {
        if (writeFailure != null) {
            throw writeFailure;
        }
        try {
            file.append(new JournalRecord.Sent(sequence, new StoredMessage(topic, qos, payload)));
            unacknowledged++;
        } catch (Failure e) {
            writeFailure = e;
            throw e;
        }
    }

    /** The first journal write that failed, if one did. */
    public synchronized Optional<Failure> writeFailure() {
        return Optional.ofNullable(writeFailure);
    }

    /**
     * Wraps {@code listener} so that every message settled for good (acknowledged; at QoS 0, written) is also
     * struck from the outbox.
     */
    public DeliveryListener striking(DeliveryListener listener) {
        return new ForwardingDeliveryListener(listener) {
            @Override
            public void acknowledged(long sequence, long latencyNanos) {
                strike(sequence);
                super.acknowledged(sequence, latencyNanos);
            }

            @Override
            public void written(long sequence) {
                strike(sequence); // QoS 0 is at most once: a written reading is never sent again
                super.written(sequence);
            }
        };
    }

    /**
     * A settlement the disk refuses is remembered, not thrown (it arrives on Paho's thread): the message then stays
     * in the journal and the next run sends it again, a duplicate rather than a loss.
     */
    private synchronized void strike(long sequence) {
        unacknowledged--;
        if (!file.open() || writeFailure != null) {
            return;
        }
        try {
            file.append(new JournalRecord.Settled(sequence));
        } catch (Failure e) {
            unacknowledged = Long.MAX_VALUE; // keep the journal: it no longer says what was acknowledged
            writeFailure = e;
        }
    }

    /** Closes the journal, and deletes it when nothing in it awaits acknowledgement, so it does not grow run by run. */
    @Override
    public synchronized void close() {
        file.close(unacknowledged == 0 && writeFailure == null);
    }
}

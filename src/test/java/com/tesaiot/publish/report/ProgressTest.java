package com.tesaiot.publish.report;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    private final StringWriter err = new StringWriter();
    private final ConsoleLog log = new ConsoleLog(new PrintWriter(err), Clock.systemUTC());

    private long lines() {
        return err.toString().lines().count();
    }

    @Test
    void pacedRunsLogEveryMessageAsTheOriginalDid() {
        Progress progress = Progress.plain(log, true, 500, () -> false);
        for (long i = 1; i <= 500; i++) {
            progress.sending(i, 500);
        }
        log.flush();
        assertEquals(500, lines());
        assertTrue(err.toString().contains("Publishing sample 500/500"));
    }

    @Test
    void bulkRunsLogOneLinePerTenth() {
        Progress progress = Progress.plain(log, false, 100_000, () -> false);
        for (long i = 1; i <= 100_000; i++) {
            progress.sending(i, 100_000);
        }
        log.flush();
        assertEquals(10, lines());
    }

    @Test
    void aReadingMadeWhileTheConnectionIsDownIsSaidToBeQueuedNotPublished() {
        AtomicBoolean down = new AtomicBoolean();
        Progress progress = Progress.plain(log, true, 3, down::get);

        progress.sending(1, 3);
        down.set(true);
        progress.sending(2, 3);
        down.set(false);
        progress.sending(3, 3);
        log.flush();

        List<String> shown = err.toString().lines().toList();
        assertTrue(shown.get(0).endsWith("] Publishing sample 1/3"), shown.get(0));
        assertTrue(shown.get(1).endsWith("] Queued sample 2/3 (the connection is down: sent when it is back)"), shown.get(1));
        assertTrue(shown.get(2).endsWith("] Publishing sample 3/3"), shown.get(2));
    }

    @Test
    void warningsAreStampedLikeEveryOtherLine() {
        log.info("Connecting");
        log.warn("connection lost");
        log.flush();

        List<String> shown = err.toString().lines().toList();
        assertTrue(shown.get(0).matches("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ] Connecting"), shown.get(0));
        assertTrue(shown.get(1).matches("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ] warning: connection lost"), shown.get(1));
    }

    @Test
    void theLiveLineSaysCountsRateAndTimeLeft() {
        assertEquals("Sent 340/1000, acknowledged 338, 100 msg/s, about 7 s left", LiveProgressLine.line(340, 1000, 338, 3.4));
        assertEquals("Sent 1000/1000, acknowledged 990, 250 msg/s", LiveProgressLine.line(1000, 1000, 990, 4.0));
    }

    @Test
    void theLiveLineIsRewrittenInPlaceAndEndedBeforeTheSummary() {
        StringWriter terminal = new StringWriter();
        Progress progress = Progress.liveLine(new PrintWriter(terminal), () -> 0);
        for (long i = 1; i <= 1000; i++) {
            progress.sending(i, 1000);
        }
        progress.finish();
        String shown = terminal.toString();
        assertTrue(shown.startsWith("\rSent 1/1000"), shown);
        assertTrue(shown.contains("\rSent 1000/1000"), "the last message is always drawn");
        assertEquals(1, shown.chars().filter(c -> c == '\n').count(), "one line, rewritten with carriage returns");
        assertTrue(shown.endsWith("\n"), "finished before the summary");
    }
}

package com.tesaiot.publish.mqtt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTakeoverRuleTest {
    private static final long MS = 1_000_000;
    private static final long SOON_MS = SessionTakeoverRule.SOON_AFTER_CONNACK.toMillis();

    private final SessionTakeoverRule rule = new SessionTakeoverRule();

    /** A connection made at {@code connectedAtMs} (after {@code attempts} attempts) that the broker closes after {@code livedMs}. */
    private boolean closedAfter(long connectedAtMs, int attempts, long livedMs) {
        rule.connected(connectedAtMs * MS, attempts);
        return rule.takenOver((connectedAtMs + livedMs) * MS, true, false);
    }

    @Test
    void connectionsClosedSoonAfterConnackOneAfterAnotherAreATakeover() {
        for (int i = 0; i < SessionTakeoverRule.LOSSES_TO_GIVE_UP - 1; i++) {
            assertFalse(closedAfter(i * 700L, 1, 400));
        }
        assertTrue(closedAfter(10_000, 1, 400));
    }

    @Test
    void aConnectionThatLivedLongerThanTheWindowStartsTheCountAgain() {
        closedAfter(0, 1, 400);
        closedAfter(1_000, 1, 400);
        closedAfter(2_000, 1, 400);

        assertFalse(closedAfter(3_000, 1, SOON_MS + 1), "a link that held for longer is no takeover");
        assertEquals(0, rule.lossesInARow());
    }

    @Test
    void aReconnectThatNeededSeveralAttemptsMeansSomethingElseFailedAndStartsTheCountAgain() {
        closedAfter(0, 1, 400);
        closedAfter(1_000, 1, 400);
        closedAfter(2_000, 1, 400);
        closedAfter(3_000, 1, 400);

        assertFalse(closedAfter(9_000, 3, 400), "the broker was unreachable meanwhile: a restart, not a takeover");
        assertEquals(1, rule.lossesInARow());
    }

    @Test
    void aConnectionResetByTheNetworkIsAFlappingLinkNotATakeoverAndStartsTheCountAgain() {
        for (int i = 0; i < SessionTakeoverRule.LOSSES_TO_GIVE_UP - 1; i++) {
            closedAfter(i * 700L, 1, 400);
        }
        rule.connected(10_000 * MS, 1);

        assertFalse(rule.takenOver(10_100 * MS, false, false), "a reset or a broken pipe is the network, not the broker");
        assertEquals(0, rule.lossesInARow());
    }

    @Test
    void aConnectionThatDiedOnOurUnacknowledgedPublishNeitherCountsNorBreaksTheRow() {
        for (int i = 0; i < SessionTakeoverRule.LOSSES_TO_GIVE_UP - 1; i++) {
            closedAfter(i * 700L, 1, 400);
        }
        for (int i = 0; i < 10; i++) {
            rule.connected((10_000 + i * 500L) * MS, 1);
            assertFalse(rule.takenOver((10_000 + i * 500L + 50) * MS, true, true),
                    "a link that dies on our first PUBLISH is no proof of another client");
        }
        assertEquals(SessionTakeoverRule.LOSSES_TO_GIVE_UP - 1, rule.lossesInARow());

        assertTrue(closedAfter(20_000, 1, 400));
    }

    @Test
    void aStalledConnectionWeDroppedStartsTheCountAgain() {
        closedAfter(0, 1, 400);
        closedAfter(1_000, 1, 400);
        rule.connected(2_000 * MS, 1);
        rule.otherLoss();

        assertEquals(0, rule.lossesInARow());
    }

    @Test
    void exactlyTheBoundOfLossesGivesUpNotOneEarlier() {
        int losses = 0;
        while (!closedAfter(losses * 500L, 1, SOON_MS)) {
            losses++;
        }
        assertEquals(SessionTakeoverRule.LOSSES_TO_GIVE_UP, losses + 1);
    }
}

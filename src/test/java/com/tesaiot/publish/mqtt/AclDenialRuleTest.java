package com.tesaiot.publish.mqtt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AclDenialRuleTest {
    private static final String DENIED = "device/other/commands";
    private static final long MS = 1_000_000;

    private final AclDenialRule rule = new AclDenialRule();

    /** One connection on which we publish at {@code sentAtMs} and the broker closes it at {@code lostAtMs}. */
    private boolean connectionLostAfterPublish(String topic, long sentAtMs, long lostAtMs) {
        rule.connected();
        rule.sent(topic, sentAtMs * MS);
        return rule.denied(lostAtMs * MS);
    }

    @Test
    void threeConnectionsInARowClosedRightAfterOurPublishAreADenial() {
        assertFalse(connectionLostAfterPublish(DENIED, 0, 5));
        assertFalse(connectionLostAfterPublish(DENIED, 300, 305));
        assertTrue(connectionLostAfterPublish(DENIED, 900, 905));
    }

    @Test
    void atQosZeroNothingIsEverAcknowledgedSoTheSameLossesAreTheSameDenial() {
        // QoS 0 tells the rule of each PUBLISH and never of an acknowledgement: written is not acknowledged.
        for (int connection = 0; connection < AclDenialRule.CONNECTIONS_TO_GIVE_UP - 1; connection++) {
            assertFalse(connectionLostAfterPublish(DENIED, connection * 400L, connection * 400L + 2));
        }
        assertTrue(connectionLostAfterPublish(DENIED, 2_000, 2_001));
    }

    @Test
    void aLossRightAfterAnUnacknowledgedPublishIsToldEvenOnATopicAcknowledgedBefore() {
        rule.connected();
        rule.sent(DENIED, 0);
        rule.acknowledged(DENIED);
        rule.denied(10 * MS);
        assertFalse(rule.lastLossFollowedOurPublish(), "the PUBLISH was acknowledged on that connection");

        assertFalse(connectionLostAfterPublish(DENIED, 1_000, 1_002), "no denial: the topic had acknowledgements");
        assertTrue(rule.lastLossFollowedOurPublish(), "but the PUBLISH may have ended the connection");
    }

    @Test
    void aLossLongAfterTheLastPublishIsNoDenial() {
        connectionLostAfterPublish(DENIED, 0, 5);
        connectionLostAfterPublish(DENIED, 300, 305);

        assertFalse(connectionLostAfterPublish(DENIED, 600, 600 + AclDenialRule.RIGHT_AFTER_PUBLISH.toMillis() + 1),
                "a link that dropped a second after the publish is not the ACL's answer");
        assertFalse(connectionLostAfterPublish(DENIED, 3_000, 3_001), "and the count starts again");
    }

    @Test
    void aTopicAcknowledgedOnceInTheRunIsNeverTakenForDenied() {
        rule.connected();
        rule.sent(DENIED, 0);
        rule.acknowledged(DENIED);
        rule.denied(10 * MS);

        for (int connection = 1; connection <= 5; connection++) {
            assertFalse(connectionLostAfterPublish(DENIED, connection * 1_000L, connection * 1_000L + 1));
        }
    }

    @Test
    void aConnectionThatHadAnAcknowledgementBreaksTheRow() {
        connectionLostAfterPublish(DENIED, 0, 5);
        connectionLostAfterPublish(DENIED, 300, 305);
        rule.connected();
        rule.sent("device/d/telemetry", 600 * MS);
        rule.acknowledged("device/d/telemetry");
        rule.sent(DENIED, 610 * MS);
        assertFalse(rule.denied(612 * MS));

        assertFalse(connectionLostAfterPublish(DENIED, 900, 901));
    }

    @Test
    void aConnectionLostBeforeAnyPublishBreaksTheRow() {
        connectionLostAfterPublish(DENIED, 0, 5);
        connectionLostAfterPublish(DENIED, 300, 305);
        rule.connected();
        assertFalse(rule.denied(700 * MS));

        assertFalse(connectionLostAfterPublish(DENIED, 900, 901));
    }

    @Test
    void aStalledConnectionWeDroppedBreaksTheRow() {
        connectionLostAfterPublish(DENIED, 0, 5);
        connectionLostAfterPublish(DENIED, 300, 305);
        rule.droppedStalled();

        assertFalse(connectionLostAfterPublish(DENIED, 900, 901));
    }
}

package com.tesaiot.publish.mqtt;

import java.time.Duration;

/**
 * Tells a session takeover from a flapping link. EMQX and mosquitto close the older connection when a second client
 * connects with the same client id; two runs with one device id then knock each other off for ever. What that looks
 * like from here: every reconnect succeeds at its first attempt, and the broker closes the new connection soon after
 * its CONNACK (an orderly close: no reset), again and again, while nothing else fails. A link that flaps resets
 * connections, fails reconnect attempts or lives longer between losses. Pure: the caller gives every event with its time ({@link System#nanoTime}).
 */
final class SessionTakeoverRule {
    /** Losses in a row, each soon after a CONNACK, before the publisher gives up. */
    static final int LOSSES_TO_GIVE_UP = 5;
    /** A loss this soon after the connection was made counts as "soon after CONNACK". */
    static final Duration SOON_AFTER_CONNACK = Duration.ofSeconds(5);

    private long connectedNanos;
    private boolean connected;
    private int lossesInARow;

    /**
     * A connection was made at {@code nanos}, at the {@code attempts}-th attempt since the loss before (1 for the
     * first connection): a failed attempt means something else failed, and the count starts again.
     */
    synchronized void connected(long nanos, int attempts) {
        connectedNanos = nanos;
        connected = true;
        if (attempts > 1) {
            lossesInARow = 0;
        }
    }

    /**
     * The connection was lost at {@code nanos}; true once losses that fit a takeover came {@link #LOSSES_TO_GIVE_UP}
     * times in a row. {@code closedByBroker}: an orderly close, as a takeover is (a reset or a broken pipe is the
     * network failing, which is something else, and the count starts again). {@code followedOurPublish}: lost right
     * after a PUBLISH that nothing acknowledged, as when the PUBLISH itself ended the connection (an ACL, a link that
     * dies on the first packet): such a loss proves nothing either way and leaves the count as it is.
     */
    synchronized boolean takenOver(long nanos, boolean closedByBroker, boolean followedOurPublish) {
        boolean soon = connected && nanos - connectedNanos <= SOON_AFTER_CONNACK.toNanos();
        connected = false;
        if (closedByBroker && followedOurPublish) {
            return false;
        }
        lossesInARow = closedByBroker && soon ? lossesInARow + 1 : 0;
        return lossesInARow >= LOSSES_TO_GIVE_UP;
    }

    /** The connection was lost for another reason we know (we dropped it as stalled): the count starts again. */
    synchronized void otherLoss() {
        connected = false;
        lossesInARow = 0;
    }

    /** How many losses in a row fit a takeover so far. */
    synchronized int lossesInARow() {
        return lossesInARow;
    }
}

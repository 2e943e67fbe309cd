package com.tesaiot.publish.mqtt;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Tells an ACL denial from a flapping link by what each connection lived through. EMQX's ACLs disconnect a client
 * that publishes to a denied topic ({@code deny_action = disconnect}): the connection is lost right after our
 * PUBLISH, before anything on that topic is acknowledged, on every connection. Reconnecting only repeats that.
 * Pure: the caller gives every event with its time ({@link System#nanoTime}), so the rule is tested in
 * milliseconds. A QoS 0 message is never acknowledged, so at QoS 0 the same losses lead to the same verdict.
 */
final class AclDenialRule {
    /** Connections in a row lost that way before the publisher gives up. */
    static final int CONNECTIONS_TO_GIVE_UP = 3;
    /** A loss this soon after our last PUBLISH counts as "right after" it. */
    static final Duration RIGHT_AFTER_PUBLISH = Duration.ofSeconds(1);

    /** Topics the broker acknowledged a message on in this run: a loss after that is no denial of them. */
    private final Set<String> acknowledgedTopics = new HashSet<>();
    private String lastSentTopic;
    private long lastSentNanos;
    private boolean sentSinceConnect;
    private boolean acknowledgedSinceConnect;
    private int lossesInARow;
    private boolean lastLossFollowedOurPublish;

    /** A connection was made (the first, or a reconnect). */
    synchronized void connected() {
        sentSinceConnect = false;
        acknowledgedSinceConnect = false;
    }

    /** A PUBLISH on {@code topic} went out at {@code nanos}. */
    synchronized void sent(String topic, long nanos) {
        lastSentTopic = topic;
        lastSentNanos = nanos;
        sentSinceConnect = true;
    }

    /** The broker acknowledged a message on {@code topic}. */
    synchronized void acknowledged(String topic) {
        acknowledgedSinceConnect = true;
        acknowledgedTopics.add(topic);
    }

    /**
     * The connection was lost at {@code nanos}; true once {@link #CONNECTIONS_TO_GIVE_UP} connections in a row were
     * lost right after a PUBLISH, each before anything was acknowledged on it, on a topic never acknowledged in
     * this run: a flapping link that has had acknowledgements on the topic is no denial.
     */
    synchronized boolean denied(long nanos) {
        lastLossFollowedOurPublish = sentSinceConnect && !acknowledgedSinceConnect
                && nanos - lastSentNanos < RIGHT_AFTER_PUBLISH.toNanos();
        boolean fits = lastLossFollowedOurPublish && lastSentTopic != null && !acknowledgedTopics.contains(lastSentTopic);
        lossesInARow = fits ? lossesInARow + 1 : 0;
        return lossesInARow >= CONNECTIONS_TO_GIVE_UP;
    }

    /**
     * Whether the loss last told to {@link #denied} came right after a PUBLISH that nothing on that connection
     * acknowledged, whatever its topic's history: the PUBLISH itself may have ended the connection.
     */
    synchronized boolean lastLossFollowedOurPublish() {
        return lastLossFollowedOurPublish;
    }

    /**
     * Whether a loss at {@code nanos} comes right after a PUBLISH, before anything was acknowledged on the connection
     * or on the topic in this run: the shape of one denial.
     */
    synchronized boolean rightAfterPublish(long nanos) {
        return sentSinceConnect && !acknowledgedSinceConnect && lastSentTopic != null
                && !acknowledgedTopics.contains(lastSentTopic) && nanos - lastSentNanos < RIGHT_AFTER_PUBLISH.toNanos();
    }

    /** When the last PUBLISH went out ({@link System#nanoTime}); meaningless before any. */
    synchronized long lastSentNanos() {
        return lastSentNanos;
    }

    /** We dropped a stalled connection ourselves: that says nothing about the ACL, and the count starts again. */
    synchronized void droppedStalled() {
        lossesInARow = 0;
    }

    /** The topic of the last PUBLISH, the one a denial concerns; null before any. */
    synchronized String lastSentTopic() {
        return lastSentTopic;
    }
}

package com.tesaiot.publish.mqtt;

import com.tesaiot.publish.Failure;
import org.eclipse.paho.client.mqttv3.MqttException;

import java.io.EOFException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a lost connection leads to. Either the publisher reconnects, waiting {@link ReconnectBackoff} between
 * attempts, and once connected resends what is unsettled; or it gives up for a reason that reconnecting cannot
 * fix: the broker's ACL denies the topic ({@link AclDenialRule}) or another client takes the session over
 * ({@link SessionTakeoverRule}). A link that stalled (the peer keeps the socket open but answers nothing) is dropped
 * here and redone like a lost one. States: connected, reconnecting, gave up; closing ends them all.
 */
final class Reconnection {
    private final PahoConnection connection;
    private final ConnectionSettings settings;
    private final DeliveryListener listener;
    /** The publisher's lock for sending: a resend sweep and a new publish never interleave. */
    private final Object sending;
    /** Resends what is unsettled; run under {@link #sending} once a reconnect succeeded. */
    private final Runnable resendUnsettled;
    /** Gives up every unsettled message with the cause; run once, when the publisher gives up. */
    private final Consumer<Throwable> giveUpAll;
    private final AclDenialRule denial = new AclDenialRule();
    private final SessionTakeoverRule takeover = new SessionTakeoverRule();
    private volatile Throwable lastLoss;
    /** When the connection was lost and not yet back; 0 while connected. */
    private volatile long lostSinceNanos;
    /** The broker refused our login on a reconnect: the run cannot go on as this device. */
    private volatile Failure reconnectRefusal;
    private volatile Failure gaveUp;
    /** Notified of every loss; set when one came right after a PUBLISH (see {@link #writtenInDoubt}). */
    private final Object losses = new Object();
    private volatile boolean lostRightAfterPublish;
    /** Reconnect attempts since the last loss, and whether one found nothing listening (the broker went down). */
    private volatile int attemptsSinceLoss;
    private volatile boolean refusedSinceLoss;
    private volatile boolean reconnecting;
    private volatile boolean closing;

    Reconnection(PahoConnection connection, ConnectionSettings settings, DeliveryListener listener, Object sending,
            Runnable resendUnsettled, Consumer<Throwable> giveUpAll) {
        this.connection = connection;
        this.settings = settings;
        this.listener = listener;
        this.sending = sending;
        this.resendUnsettled = resendUnsettled;
        this.giveUpAll = giveUpAll;
    }

    /** The first connection is up. */
    void connected() {
        denial.connected();
        takeover.connected(System.nanoTime(), 1);
    }

    /** A PUBLISH on {@code topic} went out at {@code nanos}. */
    void sent(String topic, long nanos) {
        denial.sent(topic, nanos);
    }

    /** The broker acknowledged a message on {@code topic}. */
    void acknowledged(String topic) {
        denial.acknowledged(topic);
    }

    /** True while the connection is down and being redone (or given up): what is published now waits. */
    boolean reconnecting() {
        return reconnecting;
    }

    /** Paho lost the connection (the broker closed it, the network failed). */
    void lost(Throwable cause) {
        if (closing) {
            lastLoss = cause;
            return;
        }
        synchronized (sending) {
            if (reconnecting) {
                return; // already dropped as stalled, and being redone
            }
            reconnecting = true;
        }
        lastLoss = cause;
        long now = System.nanoTime();
        lostSinceNanos = now;
        synchronized (losses) {
            lostRightAfterPublish |= denial.rightAfterPublish(now);
            attemptsSinceLoss = 0;
            refusedSinceLoss = false;
            losses.notifyAll();
        }
        boolean denied = denial.denied(now);
        boolean takenOver = takeover.takenOver(now, closedByPeer(cause), denial.lastLossFollowedOurPublish());
        if (denied) {
            giveUp(new Failure(Failure.Kind.NOT_DELIVERED, settings.endpoint() + " closed the connection right after"
                    + " our PUBLISH to '" + denial.lastSentTopic() + "', every time and before acknowledging any: its"
                    + " ACL probably denies that topic to " + settings.clientId() + " (EMQX disconnects on a denied"
                    + " publish)", cause));
        } else if (takenOver) {
            giveUp(new Failure(Failure.Kind.SESSION_TAKEN_OVER, "another client with the id " + settings.clientId()
                    + " is connected to " + settings.endpoint() + " and takes the session over: the broker closed our"
                    + " connection soon after accepting it, " + SessionTakeoverRule.LOSSES_TO_GIVE_UP + " times in a"
                    + " row (a broker closes the older connection when a second one comes with the same client id);"
                    + " stop the other client, or run with another device id", cause));
        } else {
            listener.connectionLost(cause);
            scheduleReconnect(1, ReconnectBackoff.FIRST);
        }
    }

    /** An orderly close by the peer (end of stream), as opposed to a reset, a broken pipe or a timeout. */
    private static boolean closedByPeer(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    private void giveUp(Failure failure) {
        // Set under the lock: a publish either sees it and gives its message up, or came before and is given up here.
        synchronized (sending) {
            gaveUp = failure;
        }
        giveUpAll.accept(failure.getCause());
    }

    /**
     * The peer stopped answering but keeps the socket open (a hung proxy or load balancer, a paused broker):
     * Paho's keep-alive would notice only after a minute or more. The connection is dropped and redone like a lost
     * one, and the unacknowledged messages are sent again.
     */
    void dropStalled(Duration threshold) {
        StalledConnectionException stall = new StalledConnectionException(settings.endpoint() + " acknowledged"
                + " nothing for " + threshold.toMillis() / 1000.0 + " s while messages waited: the connection stalled");
        synchronized (sending) {
            if (reconnecting) {
                return;
            }
            reconnecting = true;
        }
        lastLoss = stall;
        lostSinceNanos = System.nanoTime();
        denial.droppedStalled();
        takeover.otherLoss();
        listener.connectionLost(stall);
        connection.reconnector().execute(() -> {
            connection.dropForcibly();
            scheduleReconnect(1, ReconnectBackoff.FIRST);
        });
    }

    /** The connection was declared stalled by the liveness rule. */
    static final class StalledConnectionException extends Exception {
        StalledConnectionException(String message) {
            super(message);
        }
    }

    private void scheduleReconnect(int attempt, Duration delay) {
        if (closing) {
            return;
        }
        connection.reconnector().schedule(() -> reconnect(attempt, delay), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconnect(int attempt, Duration delay) {
        if (closing) {
            return;
        }
        try {
            connection.connectAgain();
        } catch (MqttException e) {
            if (refusesLogin(e)) {
                reconnectRefusal = ConnectFailures.explain(e, settings);
            }
            attempted(nothingListens(e));
            scheduleReconnect(attempt + 1, ReconnectBackoff.after(delay));
            return;
        }
        attempted(false);
        reconnectRefusal = null;
        lostSinceNanos = 0;
        denial.connected();
        takeover.connected(System.nanoTime(), attempt);
        synchronized (losses) {
            lostRightAfterPublish = false; // that doubt was the old connection's: what this one writes is its own
        }
        synchronized (sending) {
            reconnecting = false;
            resendUnsettled.run();
        }
        listener.reconnected(attempt);
    }

    /** A reconnect attempt ended; {@code refused}: nothing listened on the broker's port. */
    private void attempted(boolean refused) {
        synchronized (losses) {
            attemptsSinceLoss++;
            refusedSinceLoss |= refused;
            losses.notifyAll();
        }
    }

    private static boolean nothingListens(MqttException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static boolean refusesLogin(MqttException e) {
        int code = e.getReasonCode();
        return code == MqttException.REASON_CODE_FAILED_AUTHENTICATION || code == MqttException.REASON_CODE_NOT_AUTHORIZED
                || code == MqttException.REASON_CODE_INVALID_CLIENT_ID;
    }

    /**
     * QoS 0 has no acknowledgement: that the broker kept the connection a moment past our last PUBLISH is the only
     * sign it took what we wrote. Waits out that moment, and names the doubt when the connection was lost right
     * after a PUBLISH, before anything was acknowledged, as EMQX closes it on a denied publish.
     */
    Optional<Failure> writtenInDoubt() throws InterruptedException {
        awaitLosses(() -> lostRightAfterPublish, denial.lastSentNanos() + AclDenialRule.RIGHT_AFTER_PUBLISH.toNanos());
        if (gaveUp != null) {
            return Optional.of(gaveUp);
        }
        if (!lostRightAfterPublish) {
            return Optional.empty();
        }
        // A broker that went down closes the connection right after a PUBLISH as well; an ACL leaves its port open.
        // The first reconnect attempt tells them apart: it is waited for, a moment at most.
        awaitLosses(() -> !reconnecting || attemptsSinceLoss > 0,
                System.nanoTime() + ReconnectBackoff.FIRST.toNanos() + AclDenialRule.RIGHT_AFTER_PUBLISH.toNanos());
        if (gaveUp != null) {
            return Optional.of(gaveUp);
        }
        if (reconnecting && refusedSinceLoss) {
            return Optional.of(new Failure(Failure.Kind.NOT_DELIVERED, settings.endpoint() + " closed the connection"
                    + " right after our PUBLISH at QoS 0 and has refused every connection since: the broker went down (an"
                    + " ACL leaves its port open); QoS 0 is never acknowledged, so no reading written just before is known"
                    + " to have arrived", lastLoss));
        }
        return Optional.of(new Failure(Failure.Kind.NOT_DELIVERED, settings.endpoint() + " closed the connection right"
                + " after our PUBLISH to '" + denial.lastSentTopic() + "' at QoS 0, before acknowledging anything: its ACL"
                + " probably denies that topic to " + settings.clientId() + " (EMQX disconnects on a denied publish);"
                + " QoS 0 is never acknowledged, so no reading written is known to have arrived", lastLoss));
    }

    /** Waits, told of every loss and reconnect attempt, until {@code done}, the publisher gave up, or the deadline. */
    private void awaitLosses(BooleanSupplier done, long deadlineNanos) throws InterruptedException {
        synchronized (losses) {
            long left;
            while (!done.getAsBoolean() && gaveUp == null && (left = deadlineNanos - System.nanoTime()) > 0) {
                losses.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Present once the publisher gave up for a reason reconnecting cannot fix. */
    Optional<Failure> gaveUp() {
        return Optional.ofNullable(gaveUp);
    }

    /** True once the connection has been down for longer than the delivery timeout. */
    boolean downLongerThan(Duration timeout) {
        long since = lostSinceNanos;
        return since != 0 && System.nanoTime() - since > timeout.toNanos();
    }

    Optional<Failure> reconnectRefusal() {
        return Optional.ofNullable(reconnectRefusal);
    }

    Throwable lastLoss() {
        return lastLoss;
    }

    /** The run is ending: no more reconnects, and a loss from now on is only noted. */
    void close() {
        closing = true;
    }
}

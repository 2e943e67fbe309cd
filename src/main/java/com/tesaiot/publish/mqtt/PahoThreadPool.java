package com.tesaiot.publish.mqtt;

import org.eclipse.paho.client.mqttv3.internal.CommsCallback;
import org.eclipse.paho.client.mqttv3.internal.CommsReceiver;
import org.eclipse.paho.client.mqttv3.internal.CommsSender;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The threads one Paho client runs on, started without the 300 ms that Paho 1.2.5 sleeps per connection.
 *
 * <p>Paho's connect thread starts the receiver, sender and callback threads with
 * {@code synchronized (lifecycle) { submit(task) } while (!task.isRunning()) Thread.sleep(100);}. The new thread
 * needs that same lock to mark itself running, so the first check nearly always fails and each start sleeps a full
 * 100 ms (fixed upstream, never released; 1.2.5 is the last release). Waiting inside {@code submit} until the task
 * runs would deadlock on the lock the caller holds. Instead, for each of those three tasks this pool also runs a
 * short-lived waker that polls the task's public {@code isRunning()} and then interrupts the connect thread: the
 * loop swallows the interrupt, checks again, and goes on. A wake that comes after the loop has seen the task
 * running on its own lands on the connect thread where nothing waits interruptibly (the next start loop, which
 * just checks again; queuing CONNECT); the pool clears it before that thread's next task, and a waker never
 * interrupts a thread that has moved on to another task.
 *
 * <p>Paho stops those tasks by cancelling their futures with interruption, which its own threads (when it is given
 * no pool) never see: on the callback thread an interrupt could land in our delivery listener and, say, close the
 * outbox's file channel mid-write. So cancelling one of them here never interrupts it; Paho stops it as it stops
 * its own threads, by its state, a notify and closing the socket.
 *
 * <p>Daemon threads that end after {@link #IDLE_SECONDS} idle: Paho's {@code close()} does not shut down a pool it
 * was given, and none of these threads may keep the JVM alive. A pool serves one client: Paho keeps up to three
 * of its tasks running for the whole connection, so a pool shared by clients could run out of threads.
 *
 * <p>A fleet's threads are virtual on Java 24 and later: Paho's loops block in {@code synchronized} and
 * {@code Object.wait()}, which pinned a virtual thread's carrier before JEP 491 (Java 24) and no longer does, so a
 * fleet's thousands of mostly idle receiver, sender and callback loops share a carrier per core instead of holding
 * an OS thread (and its stack and scheduling) each. The jar targets Java 17, where they stay platform threads; the
 * system property {@code tesaiot.virtualThreads=false} keeps platform threads on any Java (to compare). A single
 * connection keeps platform threads: with virtual threads' sockets, the socket poller sits in native code at exit,
 * and the JVM's exit waits 300 ms for it (measured on JDK 25: a one-reading run ended 0.3 s after its summary).
 */
final class PahoThreadPool extends ScheduledThreadPoolExecutor {
    /**
     * Enough for the most one client ever runs at once: connect, receiver, sender, callback and disconnect, the
     * three wakers, and the old connection's three threads still winding down during a reconnect.
     */
    private static final int THREADS = 16;
    private static final long IDLE_SECONDS = 1;
    private static final long FIRST_PAUSE_NANOS = 20_000;
    private static final long LONGEST_PAUSE_NANOS = 1_000_000;
    /** A task that is not running by then has failed at once; Paho's own loop then decides what happens. */
    private static final long WAKER_GIVES_UP_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * This pool's live threads, each with the number of tasks it finished (guarded by itself), so a waker never
     * interrupts a task other than the one it wakes. A map, not a Thread subclass: a virtual thread has none.
     */
    private final Map<Thread, long[]> tasksDone;

    /** The threads of client {@code clientId}; virtual where the JVM allows, if it is one of a fleet's clients. */
    PahoThreadPool(String clientId, boolean ofFleet) {
        this("Paho thread of " + clientId, ofFleet && DaemonThreads.virtualAvailable(), new ConcurrentHashMap<>());
    }

    private PahoThreadPool(String name, boolean virtual, Map<Thread, long[]> tasksDone) {
        super(THREADS, countedThreads(name, virtual, tasksDone));
        this.tasksDone = tasksDone;
        setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        allowCoreThreadTimeOut(true);
    }

    private static ThreadFactory countedThreads(String name, boolean virtual, Map<Thread, long[]> tasksDone) {
        ThreadFactory threads = virtual ? DaemonThreads.virtualNumbered(name + " #")
                : DaemonThreads.numbered(name + " #");
        return worker -> threads.newThread(() -> {
            tasksDone.put(Thread.currentThread(), new long[1]);
            try {
                worker.run();
            } finally {
                tasksDone.remove(Thread.currentThread());
            }
        });
    }

    @Override
    public Future<?> submit(Runnable task) {
        BooleanSupplier started = startCheckOf(task);
        Future<?> future = super.submit(task);
        Thread starter = Thread.currentThread();
        long[] doneByStarter = tasksDone.get(starter);
        if (started != null && doneByStarter != null) {
            long taskOfStarter;
            synchronized (doneByStarter) {
                taskOfStarter = doneByStarter[0];
            }
            super.execute(() -> wakeOnceStarted(started, starter, doneByStarter, taskOfStarter));
        }
        return future;
    }

    @Override
    protected <V> RunnableScheduledFuture<V> decorateTask(Runnable runnable, RunnableScheduledFuture<V> task) {
        return startCheckOf(runnable) == null ? task : new CancelledWithoutInterrupt<>(task);
    }

    /** One of Paho's connection tasks, which a cancel marks cancelled but never interrupts. */
    private record CancelledWithoutInterrupt<V>(RunnableScheduledFuture<V> task) implements RunnableScheduledFuture<V> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return task.cancel(false);
        }

        @Override
        public void run() {
            task.run();
        }

        @Override
        public boolean isPeriodic() {
            return task.isPeriodic();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return task.getDelay(unit);
        }

        @Override
        public int compareTo(Delayed other) {
            return task.compareTo(other);
        }

        @Override
        public boolean isCancelled() {
            return task.isCancelled();
        }

        @Override
        public boolean isDone() {
            return task.isDone();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            return task.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return task.get(timeout, unit);
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable thrown) {
        // The pool clears a leftover interrupt before this thread's next task; a waker must not send one during it.
        long[] done = tasksDone.get(Thread.currentThread());
        if (done != null) {
            synchronized (done) {
                done[0]++;
            }
        }
    }

    /** How to tell that one of Paho's connection threads is running; null for every other task. */
    private static BooleanSupplier startCheckOf(Runnable task) {
        if (task instanceof CommsReceiver receiver) {
            return receiver::isRunning;
        }
        if (task instanceof CommsSender sender) {
            return sender::isRunning;
        }
        if (task instanceof CommsCallback callback) {
            return callback::isRunning;
        }
        return null;
    }

    private void wakeOnceStarted(BooleanSupplier started, Thread starter, long[] doneByStarter, long taskOfStarter) {
        long deadline = System.nanoTime() + WAKER_GIVES_UP_NANOS;
        long pause = FIRST_PAUSE_NANOS;
        while (!started.getAsBoolean()) {
            if (isShutdown() || System.nanoTime() - deadline > 0) {
                return;
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(2 * pause, LONGEST_PAUSE_NANOS);
        }
        synchronized (doneByStarter) {
            if (doneByStarter[0] == taskOfStarter) {
                starter.interrupt();
            }
        }
    }
}

package com.tesaiot.publish.mqtt;

import org.eclipse.paho.client.mqttv3.internal.CommsCallback;
import org.eclipse.paho.client.mqttv3.internal.CommsReceiver;
import org.eclipse.paho.client.mqttv3.internal.CommsSender;

import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** Guards {@link PoolThread#tasksDone}, so a waker never interrupts a task other than the one it wakes. */
    private final Object wakeLock = new Object();

    PahoThreadPool(String clientId) {
        super(THREADS, daemonThreads("Paho thread of " + clientId));
        setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        allowCoreThreadTimeOut(true);
    }

    /** A thread of this pool, counting the tasks it finished. */
    private static final class PoolThread extends Thread {
        long tasksDone;

        PoolThread(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> new PoolThread(task, name + " #" + count.incrementAndGet());
    }

    @Override
    public Future<?> submit(Runnable task) {
        BooleanSupplier started = startCheckOf(task);
        Future<?> future = super.submit(task);
        if (started != null && Thread.currentThread() instanceof PoolThread starter) {
            long taskOfStarter;
            synchronized (wakeLock) {
                taskOfStarter = starter.tasksDone;
            }
            super.execute(() -> wakeOnceStarted(started, starter, taskOfStarter));
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
        if (Thread.currentThread() instanceof PoolThread thread) {
            synchronized (wakeLock) {
                thread.tasksDone++;
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

    private void wakeOnceStarted(BooleanSupplier started, PoolThread starter, long taskOfStarter) {
        long deadline = System.nanoTime() + WAKER_GIVES_UP_NANOS;
        long pause = FIRST_PAUSE_NANOS;
        while (!started.getAsBoolean()) {
            if (isShutdown() || System.nanoTime() - deadline > 0) {
                return;
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(2 * pause, LONGEST_PAUSE_NANOS);
        }
        synchronized (wakeLock) {
            if (starter.tasksDone == taskOfStarter) {
                starter.interrupt();
            }
        }
    }
}

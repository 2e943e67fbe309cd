package com.tesaiot.publish.outbox;

import com.tesaiot.publish.Failure;
import com.tesaiot.publish.LocalIo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the outbox's file operations on a thread of their own and waits for each at most a bound. A file system that
 * stops answering (frozen, a hung network mount, a FIFO where a file should be) blocks a thread in the kernel where
 * no interrupt reaches it: that thread is given up, and the run gets a named {@link Failure.Kind#LOCAL_IO} failure
 * instead of hanging, and can still print its summary. Every operation after that fails at once the same way.
 */
final class BoundedIo implements AutoCloseable {
    /** One file operation. */
    interface Operation<T> {
        T run() throws IOException;
    }

    private final Duration bound;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tesaiot-publish-outbox");
        t.setDaemon(true); // one stuck in a frozen file system must not keep the JVM alive
        return t;
    });
    private volatile Failure stuck;

    BoundedIo(Duration bound) {
        this.bound = bound;
    }

    /**
     * Runs {@code operation} on {@code path}; a failure is worded as {@code doing} ("cannot write outbox journal"),
     * the path and the reason.
     */
    <T> T run(String doing, Path path, Operation<T> operation) throws Failure {
        Failure earlier = stuck;
        if (earlier != null) {
            throw earlier;
        }
        Future<T> result = thread.submit(operation::run);
        try {
            return result.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stuck = new Failure(Failure.Kind.LOCAL_IO, doing + " " + path + ": its file system did not answer within "
                    + seconds() + " (frozen, or a network mount that hangs?)", e);
            throw stuck;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw LocalIo.failure(doing, path, io);
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Failure.Kind.LOCAL_IO, doing + " " + path + ": interrupted", e);
        }
    }

    private String seconds() {
        return bound.toMillis() % 1000 == 0 ? bound.toSeconds() + " s" : bound.toMillis() + " ms";
    }

    /** True once an operation outlived the bound: its thread may still be stuck. */
    boolean stuck() {
        return stuck != null;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

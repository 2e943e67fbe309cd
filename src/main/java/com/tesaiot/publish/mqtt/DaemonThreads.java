package com.tesaiot.publish.mqtt;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads for the connections' pools and timers: daemons, so that none of them keeps the JVM alive after a run. */
final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Every thread named {@code name}: for an executor of one thread. */
    static ThreadFactory named(String name) {
        return task -> daemon(task, name);
    }

    /** Threads named {@code prefix} and a count from 1: {@code prefix1}, {@code prefix2}... */
    static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> daemon(task, prefix + count.incrementAndGet());
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}

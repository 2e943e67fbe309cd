package com.tesaiot.publish.mqtt;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the connections' pools and timers: daemons (virtual threads are daemons too), so that none of them
 * keeps the JVM alive after a run.
 */
final class DaemonThreads {
    /** Virtual threads' builder, or null where there are none without pinning (before Java 24) or they are off. */
    private static final Method OF_VIRTUAL = virtualThreadsWithoutPinning();
    /** {@code Thread.isVirtual()} (Java 21+), or null before. */
    private static final Method IS_VIRTUAL = isVirtualMethod();

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

    /**
     * Whether this JVM has virtual threads that do not pin their carrier in {@code synchronized} or
     * {@code Object.wait()} (Java 24+, JEP 491), where Paho's loops block; {@code -Dtesaiot.virtualThreads=false}
     * turns them off.
     */
    static boolean virtualAvailable() {
        return OF_VIRTUAL != null;
    }

    /**
     * Virtual threads named {@code prefix} and a count from 1: {@code Thread.ofVirtual().name(prefix, 1).factory()},
     * called by reflection since the jar targets Java 17. Only where {@link #virtualAvailable()}.
     */
    static ThreadFactory virtualNumbered(String prefix) {
        try {
            Object builder = OF_VIRTUAL.invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Thread.ofVirtual() is there but cannot be used", e);
        }
    }

    /** Whether {@code thread} is a virtual thread (never before Java 21). */
    static boolean isVirtual(Thread thread) {
        try {
            return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invoke(thread);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static Method virtualThreadsWithoutPinning() {
        if (Runtime.version().feature() < 24 || "false".equals(System.getProperty("tesaiot.virtualThreads"))) {
            return null;
        }
        try {
            return Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Method isVirtualMethod() {
        try {
            return Thread.class.getMethod("isVirtual");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}

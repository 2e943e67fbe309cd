package com.tesaiot.publish.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why a test was skipped (disabled, or aborted by an assumption) into the build's output: Surefire counts
 * skips on the console but keeps their reasons in its XML reports, where nobody looks. Registered through
 * {@code META-INF/services}, so every test run has it.
 */
public final class SkipReasons implements TestExecutionListener {

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static void print(TestIdentifier test, String reason) {
        String name = test.getSource().map(source -> {
            if (source instanceof MethodSource method) {
                return simpleName(method.getClassName()) + "." + method.getMethodName();
            }
            return source instanceof ClassSource type ? simpleName(type.getClassName()) : test.getDisplayName();
        }).orElse(test.getDisplayName());
        System.out.println("Skipped " + name + ": " + reason);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}

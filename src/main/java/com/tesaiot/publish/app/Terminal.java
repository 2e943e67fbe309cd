package com.tesaiot.publish.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard error, where progress goes, is a terminal. */
public final class Terminal {
    private Terminal() {
    }

    /**
     * Java tells only whether stdin and stdout are a console; progress goes to stderr, which may be a file while
     * stdout is a terminal, or the reverse ({@code | jq}). On Linux /proc says what stderr really is; elsewhere
     * the console is the best guess there is. CI never gets the live line.
     */
    public static boolean isStandardError() {
        if (System.getenv("CI") != null) {
            return false;
        }
        return isTerminal(2);
    }

    /** Whether standard input is a terminal a person types at (not a pipe or a file): only then is a prompt shown. */
    public static boolean isStandardInput() {
        return isTerminal(0);
    }

    private static boolean isTerminal(int fd) {
        Path stderr = Path.of("/proc/self/fd/" + fd);
        if (Files.exists(stderr, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(stderr).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}

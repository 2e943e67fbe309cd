package com.tesaiot.publish;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Words a failed read or write of one of our own local files (the outbox, a bundle being written) as a
 * {@link Failure.Kind#LOCAL_IO} failure: what was being done, the path, and the disk's reason in plain words
 * ("no space left on device", "read-only file system", "permission denied").
 */
public final class LocalIo {
    private LocalIo() {
    }

    /** {@code doing} is a phrase such as "cannot write outbox journal". */
    public static Failure failure(String doing, Path path, IOException e) {
        return new Failure(Failure.Kind.LOCAL_IO, doing + " " + path + ": " + reason(e), e);
    }

    /** The disk's reason for {@code e}, in the words a user searches for. */
    public static String reason(IOException e) {
        String message = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : String.valueOf(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("disk quota")) {
            return "no space left on device";
        }
        if (lower.contains("read-only file system")) {
            return "read-only file system";
        }
        if (e instanceof AccessDeniedException || lower.contains("permission denied")) {
            return "permission denied: check its owner and mode";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException) {
            // Creating a directory where a file (or a device, /dev/full) already is: the JDK's message is the path.
            return "a file is there, not a directory";
        }
        return message;
    }

    /**
     * Deletes {@code path} and everything under it, if it is there, as well as it can: for clearing away what a
     * failed write left, where the failure already says what went wrong. A link is removed, not followed.
     */
    public static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort: a leftover is untidy, and the caller has already named the real failure.
        }
    }
}

package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads one text file of the bundle, turning each way it can fail into a line that names the file. What editors
 * and operating systems add is tolerated (a UTF-8 byte-order mark, CRLF line ends, trailing spaces: callers
 * strip or parse past them); what no text file of a bundle holds (a NUL, UTF-16) is named.
 */
final class BundleFiles {
    /** Far more than any certificate chain or key: a bigger file is not what it is named, and is not read. */
    static final int MAX_BYTES = 1024 * 1024;
    /** How long reading one file may take: a local file takes milliseconds, a pipe that nobody writes forever. */
    static final Duration READ_BOUND = Duration.ofSeconds(10);
    /** U+FEFF, which Windows editors put at the start of a UTF-8 file. */
    private static final String BYTE_ORDER_MARK = "\uFEFF";
    /**
     * The threads that read: kept for the next read (a fleet reads five files a device), and daemons, so that one
     * left blocked by a frozen file system or a silent pipe never holds the JVM.
     */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "bundle file reader");
        thread.setDaemon(true);
        return thread;
    });

    private BundleFiles() {
    }

    /**
     * The file's text. {@code input} names what the user can give to use another file, when the file is
     * missing; null when there is nothing to give instead.
     */
    static String readText(Path file, Failure.Input input) throws Failure {
        return text(file.toString(), read(file, input, READ_BOUND));
    }

    /**
     * The file's bytes, read within {@code bound}. Only a regular file is read, or a pipe the shell handed us as
     * {@code /dev/fd/N} ({@code --client-key <(pass show key)}): a named pipe or a device elsewhere would block
     * until some writer came, and a frozen file system blocks even a regular file, so the read runs on another
     * thread, interrupted and abandoned when the bound passes.
     */
    static byte[] read(Path file, Failure.Input input, Duration bound) throws Failure {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw failure(file, input, e);
        }
        if (attributes.isDirectory()) {
            throw new Failure(Failure.Kind.BUNDLE, input, file + " is a directory, not a file");
        }
        if (!attributes.isRegularFile() && !isHandedOverByTheShell(file)) {
            throw new Failure(Failure.Kind.BUNDLE, input, file + " is " + kindOf(file) + ", not a regular file: reading"
                    + " it would wait for a writer, maybe forever; give the file itself");
        }
        if (attributes.size() > MAX_BYTES) {
            throw bad(file + " is larger than " + MAX_BYTES / 1024 + " KiB: not a file of a credential bundle");
        }
        Future<byte[]> reading = READERS.submit(() -> {
            try (InputStream in = Files.newInputStream(file)) {
                return in.readNBytes(MAX_BYTES + 1);
            }
        });
        byte[] bytes;
        try {
            bytes = reading.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reading.cancel(true);
            throw bad(file + ": nothing came from it within "
                    + BigDecimal.valueOf(bound.toMillis(), 3).stripTrailingZeros().toPlainString() + " s ("
                    + (attributes.isRegularFile() ? "a stalled file system?" : "a pipe whose writer never wrote?") + ")");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? failure(file, input, io)
                    : new Failure(Failure.Kind.BUNDLE, file + " could not be read: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            reading.cancel(true);
            Thread.currentThread().interrupt();
            throw bad(file + " was not read: interrupted");
        }
        if (bytes.length > MAX_BYTES) {
            throw bad(file + " is larger than " + MAX_BYTES / 1024 + " KiB: not a file of a credential bundle");
        }
        return bytes;
    }

    /** A process substitution ({@code <(command)}) or an inherited descriptor: a pipe the user meant us to read. */
    static boolean isHandedOverByTheShell(Path file) {
        String shown = file.toString();
        return shown.startsWith("/dev/fd/") || shown.startsWith("/proc/self/fd/") || shown.equals("/dev/stdin");
    }

    /** What a file that is not a regular one is, in the words of {@code ls -l} and {@code stat}. */
    static String kindOf(Path file) {
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a named pipe (FIFO)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }

    private static Failure failure(Path file, Failure.Input input, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new Failure(Failure.Kind.BUNDLE, input, file + " not found");
        }
        if (e instanceof AccessDeniedException) {
            return bad(file + " is not readable (permission denied): check its owner and mode");
        }
        return new Failure(Failure.Kind.BUNDLE, file + " could not be read: " + e.getMessage(), e);
    }

    /** The text of a file's bytes; {@code shown} names the file (a path, or a zip entry) in messages. */
    static String text(String shown, byte[] bytes) throws Failure {
        if (bytes.length >= 2 && (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE
                || bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)) {
            throw bad(shown + " is UTF-16 text (as some Windows editors save it): save it as UTF-8");
        }
        String text;
        try {
            // A strict decoder, so a binary (DER) file is named as such instead of parsed as garbage.
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw bad(shown + " is not text (a binary DER file?): convert it to PEM, e.g. openssl x509 -inform DER -in FILE"
                    + " -out FILE.pem for a certificate, openssl pkey -inform DER -in FILE -out FILE.pem for a key");
        }
        if (text.startsWith(BYTE_ORDER_MARK)) {
            text = text.substring(1);
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            long line = 1 + text.substring(0, nul).chars().filter(c -> c == '\n').count();
            throw bad(shown + " holds a NUL character (line " + line + "): save it again as plain UTF-8 text");
        }
        if (text.isBlank()) {
            throw bad(shown + " is empty");
        }
        return text;
    }

    private static Failure bad(String message) {
        return new Failure(Failure.Kind.BUNDLE, message);
    }
}

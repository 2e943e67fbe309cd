package com.tesaiot.publish.bundle;

import com.tesaiot.publish.Failure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads one text file of the bundle, turning each way it can fail into a line that names the file. What editors
 * and operating systems add is tolerated (a UTF-8 byte-order mark, CRLF line ends, trailing spaces: callers
 * strip or parse past them); what no text file of a bundle holds (a NUL, UTF-16) is named.
 */
final class BundleFiles {
    /** Far more than any certificate chain or key: a bigger file is not what it is named, and is not read. */
    static final int MAX_BYTES = 1024 * 1024;
    /** U+FEFF, which Windows editors put at the start of a UTF-8 file. */
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private BundleFiles() {
    }

    /**
     * The file's text. {@code input} names what the user can give to use another file, when the file is
     * missing; null when there is nothing to give instead.
     */
    static String readText(Path file, Failure.Input input) throws Failure {
        if (Files.isDirectory(file)) {
            throw new Failure(Failure.Kind.BUNDLE, input, file + " is a directory, not a file");
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw bad(file + " is larger than " + MAX_BYTES / 1024 + " KiB: not a file of a credential bundle");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Failure(Failure.Kind.BUNDLE, input, file + " not found");
        } catch (AccessDeniedException e) {
            throw bad(file + " is not readable (permission denied): check its owner and mode");
        } catch (IOException e) {
            throw new Failure(Failure.Kind.BUNDLE, file + " could not be read: " + e.getMessage(), e);
        }
        return text(file.toString(), bytes);
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
            throw bad(shown + " is not text (a binary DER file?): convert it to PEM, e.g. openssl x509 -inform DER -in FILE -out FILE.pem");
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

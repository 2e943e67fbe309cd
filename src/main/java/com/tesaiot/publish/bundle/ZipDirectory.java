package com.tesaiot.publish.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a zip's central directory says about its entries, read byte by byte (APPNOTE 4.3.12, 4.3.16) for a zip the
 * JDK refused: which entries are encrypted (flag bit 0), and whether some name is not UTF-8 (a legacy code page,
 * written without the UTF-8 flag, bit 11). The JDK's own message for either differs from version to version.
 *
 * @param encrypted the names of the encrypted entries
 */
record ZipDirectory(List<String> encrypted, boolean legacyNames) {
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int ENTRY_SIGNATURE = 0x02014b50;
    private static final int END_SIZE = 22;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final int ENCRYPTED = 1;

    /** The directory of {@code zip}, or empty when it has none this reader understands (not a zip; a zip64). */
    static Optional<ZipDirectory> read(Path zip) {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = channel.size();
            int tail = (int) Math.min(size, END_SIZE + MAX_COMMENT);
            ByteBuffer end = read(channel, size - tail, tail);
            for (int at = tail - END_SIZE; at >= 0; at--) {
                if (end.getInt(at) == END_SIGNATURE) {
                    long directorySize = end.getInt(at + 12) & 0xFFFFFFFFL;
                    long offset = end.getInt(at + 16) & 0xFFFFFFFFL;
                    if (offset + directorySize > size || directorySize > BundleFiles.MAX_BYTES * 16L) {
                        return Optional.empty();
                    }
                    return Optional.of(entries(read(channel, offset, (int) directorySize)));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static ZipDirectory entries(ByteBuffer directory) {
        List<String> encrypted = new ArrayList<>();
        boolean legacy = false;
        int at = 0;
        while (at + 46 <= directory.limit() && directory.getInt(at) == ENTRY_SIGNATURE) {
            int flags = directory.getShort(at + 8) & 0xFFFF;
            int nameLength = directory.getShort(at + 28) & 0xFFFF;
            int extraLength = directory.getShort(at + 30) & 0xFFFF;
            int commentLength = directory.getShort(at + 32) & 0xFFFF;
            byte[] name = new byte[Math.min(nameLength, directory.limit() - at - 46)];
            directory.get(at + 46, name);
            boolean utf8 = isUtf8(name);
            // A name flagged UTF-8 that is not (a tool's bug) is worth the same second try: it then names itself.
            legacy |= !utf8;
            if ((flags & ENCRYPTED) != 0) {
                encrypted.add(new String(name, utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
            }
            at += 46 + nameLength + extraLength + commentLength;
        }
        return new ZipDirectory(List.copyOf(encrypted), legacy);
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
            // FileChannel may read less than asked: go on from where it stopped.
        }
        return buffer.flip();
    }
}

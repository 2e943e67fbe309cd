package com.tesaiot.publish.bundle;

import java.util.Optional;

/**
 * What a device id may hold: it is the MQTT client id and a level of the topic, so no wildcard (+ #), no
 * level separator (/), and nothing invisible (white space, control or formatting characters such as a
 * byte-order mark or a zero-width space), which would make the broker see another id than the user does.
 */
public final class DeviceIds {
    /** MQTT 3.1.1 strings are at most 65 535 bytes; a topic holds the id and more. */
    private static final int MAX_LENGTH = 65_000;

    private DeviceIds() {
    }

    /** Why {@code id} cannot be a device id, if it cannot. */
    public static Optional<String> problemWith(String id) {
        if (id.isEmpty()) {
            return Optional.of("the device id is empty");
        }
        if (id.length() > MAX_LENGTH) {
            return Optional.of("the device id is " + id.length() + " characters long; MQTT allows far fewer");
        }
        for (int i = 0; i < id.length(); ) {
            int c = id.codePointAt(i);
            if (c == '+' || c == '#') {
                return Optional.of("the device id '" + id + "' holds the MQTT wildcard '" + (char) c + "', which cannot stand in a topic");
            }
            if (c == '/') {
                return Optional.of("the device id '" + id + "' holds '/', which would split its topic level");
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.isSpaceChar(c)) {
                return Optional.of("the device id holds " + nameOf(c) + " at position " + (id.codePointCount(0, i) + 1));
            }
            i += Character.charCount(c);
        }
        return Optional.empty();
    }

    /** A character one cannot see, by the name a user knows it by ("a space", "a tab"), else by its code point. */
    static String nameOf(int c) {
        String code = String.format("U+%04X", c);
        return switch (c) {
            case ' ' -> "a space";
            case '\t' -> "a tab";
            case '\r', '\n' -> "a line break (" + code + ")";
            case '\u00A0' -> "a no-break space (U+00A0)";
            case '\uFEFF' -> "a byte-order mark (U+FEFF)";
            case '\u200B' -> "a zero-width space (U+200B)";
            default -> Character.isISOControl(c) ? "a control character (" + code + ")" : "an invisible character (" + code + ")";
        };
    }
}

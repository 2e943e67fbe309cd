package com.tesaiot.publish.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the private key readable by its owner only. The original script ran chmod 600 silently; we do the
 * same where we own the file, and say so. File systems without POSIX permissions (Windows) are left alone.
 */
public final class KeyFilePermissions {
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private KeyFilePermissions() {
    }

    /**
     * A line for the user when the key was open to others: what was done about it, or what to do. Only a key
     * inside the bundle is changed ({@code mayTighten}); one the user pointed at elsewhere (a shared key
     * directory, say) may be group-readable on purpose, so it only gets the warning.
     */
    public static Optional<String> tighten(Path key, boolean mayTighten) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(key);
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
        if (permissions.stream().noneMatch(OPEN_TO_OTHERS::contains)) {
            return Optional.empty();
        }
        String was = PosixFilePermissions.toString(permissions);
        if (!mayTighten) {
            return Optional.of(key + " is readable by others (" + was + "): consider chmod go-rwx " + key);
        }
        try {
            Set<PosixFilePermission> ownerOnly = EnumSet.copyOf(permissions);
            ownerOnly.removeAll(OPEN_TO_OTHERS);
            Files.setPosixFilePermissions(key, ownerOnly);
            return Optional.of(key + " was readable by others (" + was + "): changed to "
                    + PosixFilePermissions.toString(ownerOnly) + " (chmod go-rwx)");
        } catch (IOException | SecurityException e) {
            return Optional.of(key + " is readable by others (" + was + ") and could not be changed: run chmod go-rwx "
                    + key);
        }
    }
}

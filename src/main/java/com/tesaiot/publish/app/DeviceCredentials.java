package com.tesaiot.publish.app;

import com.tesaiot.publish.bundle.BundleLocation;

import java.util.Optional;

/**
 * Which credential bundle a device run uses and what the user gave beside it: a device id that beats the
 * bundle's, and the password of an encrypted key.
 */
public record DeviceCredentials(BundleLocation location, Optional<String> deviceId, Optional<char[]> keyPassword) {
}

package com.tesaiot.publish.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The device id a run uses and where it came from, chosen among the places a bundle names it: the id the user
 * gave, device_id.txt, the certificate's file name ({id}.pem), the certificate's CN, in that order.
 *
 * @param source where the id came from, for messages: "device_id.txt", "the certificate's CN"
 * @param notes  one line when the places disagree, saying which won
 */
public record DeviceId(String value, String source, List<String> notes) {

    /** One place's claim to the device id. */
    record Claim(String source, String value) {
    }

    /** The first claim wins; a note when another one differs. {@code claims} is in precedence order, non-empty. */
    static DeviceId choose(List<Claim> claims) {
        Claim winner = claims.get(0);
        List<String> notes = new ArrayList<>();
        if (claims.stream().anyMatch(c -> !c.value().equals(winner.value()))) {
            notes.add("the bundle's device ids disagree: " + claims.stream()
                    .map(c -> c.source() + " says '" + c.value() + "'").collect(Collectors.joining(", "))
                    + "; using '" + winner.value() + "' from " + winner.source());
        }
        return new DeviceId(winner.value(), winner.source(), List.copyOf(notes));
    }
}

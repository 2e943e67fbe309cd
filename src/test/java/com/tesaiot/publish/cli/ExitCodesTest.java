package com.tesaiot.publish.cli;

import com.tesaiot.publish.Failure;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExitCodesTest {

    @Test
    void eachKindOfFailureHasItsDocumentedExitCode() {
        assertEquals(1, ExitCodes.of(Failure.Kind.NOT_DELIVERED));
        assertEquals(2, ExitCodes.of(Failure.Kind.USAGE));
        assertEquals(3, ExitCodes.of(Failure.Kind.BUNDLE));
        assertEquals(4, ExitCodes.of(Failure.Kind.REFUSED));
        assertEquals(5, ExitCodes.of(Failure.Kind.UNREACHABLE));
        assertEquals(74, ExitCodes.of(Failure.Kind.LOCAL_IO));
        assertEquals(6, ExitCodes.of(Failure.Kind.SESSION_TAKEN_OVER));
    }

    @Test
    void theHelpOfPublishAndCheckListsTheSessionTakeoverCode() {
        assertTrue(String.join("\n", ExitCodes.ofPublishing()).contains("  6  another client with the same device id"));
        assertTrue(String.join("\n", ExitCodes.ofChecking()).contains("  6  another client with the same device id"));
    }

    @Test
    void noTwoKindsOfFailureShareAnExitCode() {
        assertEquals(Failure.Kind.values().length, java.util.Arrays.stream(Failure.Kind.values()).map(ExitCodes::of)
                .distinct().count());
    }

    @Test
    void anExceptionThatIsNoFailureIsABugOfOurs() {
        assertEquals(70, ExitCodes.INSTANCE.getExitCode(new IllegalStateException("boom")));
        assertEquals(70, ExitCodes.INSTANCE.getExitCode(new IOException("boom")));
    }

    @Test
    void aFailureAboutAFileSaysWhichFlagAndVariableGiveAnotherOne() {
        Failure failure = new Failure(Failure.Kind.BUNDLE, Failure.Input.CLIENT_KEY, "certs/client_key.pem not found");

        assertEquals("certs/client_key.pem not found (set --client-key or CLIENT_KEY to use another file)",
                ExitCodes.INSTANCE.line(failure));
    }

    @Test
    void anEncryptedKeyWithoutItsPasswordSaysHowToGiveIt() {
        Failure failure = new Failure(Failure.Kind.BUNDLE, Failure.Input.KEY_PASSWORD, "client_key.pem is encrypted");

        assertEquals("client_key.pem is encrypted: give its password with KEY_PASSWORD (or --key-password)",
                ExitCodes.INSTANCE.line(failure));
    }

    @Test
    void aBundleThatIsNotThereSaysHowToGiveOneAndHowToMakeOneForATry() {
        Failure failure = new Failure(Failure.Kind.BUNDLE, Failure.Input.CERTS_DIR_ABSENT,
                "credential bundle directory certs_credentials not found");

        String line = ExitCodes.INSTANCE.line(failure);

        assertTrue(line.startsWith("credential bundle directory certs_credentials not found (give --certs-dir or"
                + " CERTS_DIR"), line);
        assertTrue(line.contains("'bundle create' makes a bundle"), line);
    }

    @Test
    void aFailureWithNothingToGiveInsteadIsPrintedAsItIs() {
        Failure failure = new Failure(Failure.Kind.REFUSED, "broker:8883 rejected our client certificate");

        assertEquals("broker:8883 rejected our client certificate", ExitCodes.INSTANCE.line(failure));
    }
}

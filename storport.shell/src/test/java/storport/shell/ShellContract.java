package storport.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.regex.Pattern;

import storport.api.StorPortException;
import storport.api.StorStatus;

/**
 * The shell's error contract as the fuzz tests check it: a command prints its output, or prints
 * nothing and fails with a StorPortException of an expected status whose reason is for a person,
 * never a Java exception (Shell.call turns an unexpected RuntimeException into UNSUCCESSFUL with
 * the exception's toString(): that is the finding this looks for).
 */
final class ShellContract {
    /** {@code java.lang.NullPointerException}, {@code storport.x.FooError: ...}: a class name where a reason belongs. */
    private static final Pattern JAVA_EXCEPTION = Pattern.compile("(?s)^([a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error)\\b.*");
    /**
     * The JDK's own messages, which reach the user when an IllegalArgumentException (NumberFormatException,
     * InvalidPathException ...) leaks out of a command: Shell.call passes such a message on as the reason.
     */
    private static final Pattern JDK_MESSAGE = Pattern.compile(
            "(?s)^(For input string|Cannot invoke|Cannot read|Index -?\\d+ out of bounds|begin -?\\d+, end|Illegal char|Nul character|null$).*");

    private ShellContract() {
    }

    /** Runs a command: its output when it succeeds, null when it failed as the contract says. */
    static String run(java.util.function.Supplier<?> command, Set<StorStatus> allowed) {
        StorPortException[] failure = new StorPortException[1];
        String printed = Fixtures.out(() -> {
            try {
                return command.get();
            } catch (StorPortException e) {
                failure[0] = e;
                return null;
            }
        });
        StorPortException e = failure[0];
        if (e == null) {
            return printed;
        }
        assertEquals("", printed, "a failing command printed");
        assertTrue(allowed.contains(e.status()), e.getMessage());
        assertFalse(JAVA_EXCEPTION.matcher(e.reason()).matches(), "a Java exception as the reason: " + e.getMessage());
        assertFalse(JDK_MESSAGE.matcher(e.reason()).matches(), "a JDK message as the reason: " + e.getMessage());
        assertEquals(e.status().symbol() + ": " + e.reason(), e.getMessage());
        return null;
    }
}

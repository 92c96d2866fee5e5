package storport.shell;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Bound;

/** What every storport command shares: the error contract and number parsing. */
final class Shell {
    static final String SCOPE = "storport";

    /** ASCII digits only: Long.parseLong would also take other scripts' digits. */
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private Shell() {
    }

    /**
     * Runs a command body and returns its output for Gogo to print, as Gogo's own commands do: a
     * script can keep it ({@code x = storport:adapters}) or pipe it ({@code storport:adapters | grep nvme}).
     * The output is built first, so a failing command prints nothing; every failure leaves as a
     * StorPortException, whose message is the {@code STOR_STATUS_<NAME>: <reason>} line the contract
     * promises. Gogo prints a value with a line break after it, so the text's own last one is dropped;
     * no text is no value (Gogo prints nothing).
     */
    static String result(Supplier<String> body) {
        String out = call(body);
        if (out == null || out.isEmpty()) {
            return null;
        }
        return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
    }

    /** The error mapping of {@link #result}, for a result that is no text. */
    static <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (StorPortException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw StorPortException.invalidParameter(e.getMessage() != null ? e.getMessage() : e.toString());
        } catch (RuntimeException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, e.toString());
        }
    }

    /** The bound backend; null only in the instant a dynamic reference has none. */
    static StorPort backend(StorPort storport) {
        return Bound.present(storport, "no storport backend is registered");
    }

    /** The capture's absolute path; a name no file system allows (a NUL in it) is refused as a bad argument, in our words. */
    static Path capturePath(String file) {
        if (file == null) {
            throw StorPortException.invalidParameter("no capture file given");
        }
        try {
            return Path.of(file).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw StorPortException.invalidParameter("capture file '" + file.replace('\0', '?') + "' is not a valid path: " + e.getReason());
        }
    }

    /**
     * Parses a decimal integer typed by the user.
     *
     * @return the value, or null when it is an integer too large for a long
     * @throws StorPortException INVALID_PARAMETER {@code <label> '<text>' is not a number}
     */
    static Long parseLong(String label, String text) {
        if (text == null || !INTEGER.matcher(text).matches()) {
            throw StorPortException.invalidParameter(label + " '" + text + "' is not a number");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    /** Parses an int option such as {@code --messages}. */
    static int parseInt(String label, String text) {
        Long v = parseLong(label, text);
        if (v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw StorPortException.invalidParameter(label + " " + normalized(text) + " is outside "
                    + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE);
        }
        return v.intValue();
    }

    /** An integer's canonical spelling ({@code +007} -> {@code 7}); text must match {@link #INTEGER}. */
    static String normalized(String integer) {
        return new BigInteger(integer).toString();
    }
}

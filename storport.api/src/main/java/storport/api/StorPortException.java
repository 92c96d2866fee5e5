package storport.api;

import java.util.Objects;

/**
 * A StorPort call that did not return {@link StorStatus#SUCCESS}: the status and why.
 *
 * <p>The message reads {@code STOR_STATUS_<NAME>: <reason>}, the form the shell prints.
 */
public class StorPortException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final StorStatus status;
    private final String reason;

    public StorPortException(StorStatus status, String reason) {
        super(Objects.requireNonNull(status).symbol() + ": " + reason, null, false, false);
        if (status == StorStatus.SUCCESS) {
            throw new IllegalArgumentException("SUCCESS is not an error");
        }
        this.status = status;
        this.reason = reason;
    }

    /** Shorthand for the most common failure: an invalid argument. */
    public static StorPortException invalidParameter(String reason) {
        return new StorPortException(StorStatus.INVALID_PARAMETER, reason);
    }

    /**
     * The contract's line, {@code STOR_STATUS_<NAME>: <reason>}, without the class name: what a shell
     * prints for a failed command (Gogo's JLine shell prints a failure's {@code toString()}).
     */
    @Override
    public String toString() {
        return getMessage();
    }

    public StorStatus status() {
        return status;
    }

    /** The reason alone, without the status symbol. */
    public String reason() {
        return reason;
    }
}

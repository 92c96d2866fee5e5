package storport.api;

/**
 * STOR_STATUS codes with their storport.h values.
 *
 * <p>{@link #code()} is the ULONG a StorPort routine returns; {@link #symbol()} is the name a
 * Windows engineer searches for ({@code STOR_STATUS_INVALID_PARAMETER}).
 */
public enum StorStatus {
    SUCCESS(0x00000000),
    UNSUCCESSFUL(0xC1000001),
    NOT_IMPLEMENTED(0xC1000002),
    INSUFFICIENT_RESOURCES(0xC1000003),
    BUFFER_TOO_SMALL(0xC1000004),
    ACCESS_DENIED(0xC1000005),
    INVALID_PARAMETER(0xC1000006),
    INVALID_DEVICE_REQUEST(0xC1000007),
    INVALID_IRQL(0xC1000008),
    INVALID_DEVICE_STATE(0xC1000009),
    INVALID_BUFFER_SIZE(0xC100000A),
    UNSUPPORTED_VERSION(0xC100000B),
    BUSY(0xC100000C);

    private static final StorStatus[] VALUES = values();

    private final int code;

    StorStatus(int code) {
        this.code = code;
    }

    /** The status as returned by StorPort routines (unsigned 32-bit, stored in an int). */
    public int code() {
        return code;
    }

    /** The storport.h symbol, e.g. {@code STOR_STATUS_INVALID_PARAMETER}. */
    public String symbol() {
        return "STOR_STATUS_" + name();
    }

    /**
     * The status for a code.
     *
     * @throws IllegalArgumentException if the code is not a STOR_STATUS value
     */
    public static StorStatus of(int code) {
        for (StorStatus s : VALUES) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a STOR_STATUS code: 0x" + Integer.toHexString(code));
    }
}

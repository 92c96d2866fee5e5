package storport.api;

/**
 * An out parameter for a ULONG ({@code PULONG} in StorPort signatures).
 *
 * <p>Status-code methods write into it only on {@link StorStatus#SUCCESS}. Reuse one holder per
 * thread to keep a lookup loop free of allocation. Not thread-safe.
 */
public final class ULongHolder {
    /** The value, an unsigned 32-bit quantity stored in an int. */
    public int value;

    @Override
    public String toString() {
        return Integer.toUnsignedString(value);
    }
}

package storport.api;

/**
 * An out parameter for a structure, e.g. {@code PMESSAGE_INTERRUPT_INFORMATION}. Not thread-safe.
 *
 * @param <T> the structure type
 */
public final class Holder<T> {
    public T value;
}

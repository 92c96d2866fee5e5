package storport.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One adapter of a {@link StorPort} service, kept by the caller as a miniport keeps its
 * {@code HwDeviceExtension}: the seed call without the by-name lookup.
 *
 * <p>A handle always answers from its service's current {@link Host} snapshot, so it follows
 * snapshot swaps, and a handle taken from the service consumers are bound to follows backend
 * swaps too. If the adapter disappears from a later snapshot, calls answer as the by-name forms
 * do for an unknown adapter (INVALID_PARAMETER); they answer again when it returns. Safe for
 * concurrent use; the status-code form allocates nothing.
 *
 * @since 1.1
 */
@ProviderType
public interface AdapterHandle {

    /** The id or alias this handle was taken for. */
    String name();

    /**
     * {@code StorPortGetMessageInterruptIDFromProcessorIndex}, status-code form: the same answer as
     * {@link StorPort#getMessageInterruptIdFromProcessorIndex(String, int, ULongHolder)} with this
     * handle's name, on the current snapshot.
     */
    int getMessageInterruptIdFromProcessorIndex(int processorIndex, ULongHolder messageInterruptId);

    /**
     * {@code StorPortGetMessageInterruptIDFromProcessorIndex}, idiomatic form.
     *
     * @throws StorPortException as {@link StorPort#messageInterruptId(String, long)} with this handle's name
     */
    int messageInterruptId(long processorIndex);

    /**
     * The adapter in the current snapshot.
     *
     * @throws StorPortException INVALID_PARAMETER when the current snapshot has no adapter of this name
     */
    Adapter adapter();
}

package storport.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A backend's answers to the StorPort questions: the service every backend registers.
 *
 * <p>Each backend registers it with the service property {@value #BACKEND} naming the backend.
 * The backend selector registers one more, without that property and with the highest
 * {@code service.ranking}, which answers from the backend chosen through {@link Backends} and
 * follows every switch at once. Bind it with a dynamic, greedy reference and keep it in a volatile
 * field:
 *
 * <pre>
 * &#64;Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
 * volatile StorPort storport;
 * </pre>
 *
 * Every call reads the backend's current {@link Host} snapshot; take {@link #host()} once when
 * several answers must agree with each other. For the seed call in a hot path, keep an
 * {@link #adapter(String) adapter handle}.
 */
@ProviderType
public interface StorPort {
    /** Service property: the backend's name, e.g. {@code sim} or {@code native}. */
    String BACKEND = "storport.backend";

    /**
     * Until 1.0 the selector wrote each backend's {@code service.ranking} into the configuration
     * with PID {@code storport.backend.X}. Since 1.1 the selector switches consumers itself and
     * writes no rankings; a backend need not declare this configuration.
     *
     * @deprecated nothing writes these configurations any more
     */
    @Deprecated
    String RANKING_PID_PREFIX = "storport.backend.";

    /** This backend's name, as in the {@value #BACKEND} service property. */
    String backend();

    /** The current snapshot. */
    Host host();

    /**
     * Re-reads the host now and returns the new snapshot. A backend that is always current (the
     * simulator) returns {@link #host()}.
     *
     * @throws StorPortException UNSUCCESSFUL when the host cannot be read; the previous snapshot keeps serving
     */
    default Host refresh() {
        return host();
    }

    /** {@code StorPortGetMessageInterruptIDFromProcessorIndex}, status-code form; see {@link Host}. */
    default int getMessageInterruptIdFromProcessorIndex(String adapter, int processorIndex, ULongHolder messageInterruptId) {
        return host().getMessageInterruptIdFromProcessorIndex(adapter, processorIndex, messageInterruptId);
    }

    /** {@code StorPortGetMessageInterruptIDFromProcessorIndex}, idiomatic form; see {@link Host}. */
    default int messageInterruptId(String adapter, long processorIndex) {
        return host().messageInterruptId(adapter, processorIndex);
    }

    /**
     * A handle on one adapter that answers the seed call without a by-name lookup, from this
     * service's current snapshot on every call (so, taken from the selector's service, it follows
     * backend swaps too). Keep it, as a miniport keeps its {@code HwDeviceExtension}.
     *
     * @param idOrAlias the adapter's id or one of its aliases
     * @throws StorPortException INVALID_PARAMETER for a null name or one the current snapshot does not know
     * @since 1.1
     */
    default AdapterHandle adapter(String idOrAlias) {
        host().adapter(idOrAlias); // refuse a name that answers nothing now, with the reason
        return new SnapshotAdapterHandle(this, idOrAlias);
    }

    /** {@code StorPortGetMSIInfo}: SUCCESS, or INVALID_PARAMETER for an unknown adapter or message or a null holder. */
    default int getMSIInfo(String adapter, int messageId, Holder<MessageInterrupt> info) {
        Adapter a = host().find(adapter);
        if (a == null || info == null || messageId < 0 || messageId >= a.messageCount()) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        info.value = a.messages().get(messageId);
        return StorStatus.SUCCESS.code();
    }

    /** {@code StorPortGetProcessorCount}. */
    default int getProcessorCount(ULongHolder count) {
        if (count == null) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        count.value = host().topology().processorCount();
        return StorStatus.SUCCESS.code();
    }

    /** {@code StorPortGetActiveGroupCount}. */
    default int getActiveGroupCount(ULongHolder count) {
        if (count == null) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        count.value = host().topology().activeGroupCount();
        return StorStatus.SUCCESS.code();
    }

    /** {@code StorPortGetGroupAffinity}: INVALID_PARAMETER for an unknown group or a null holder. */
    default int getGroupAffinity(int group, AffinityHolder affinity) {
        Topology t = host().topology();
        if (affinity == null || group < 0 || group >= t.activeGroupCount()) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        GroupAffinity g = t.groupAffinity(group);
        affinity.group = g.group();
        affinity.mask = g.mask();
        return StorStatus.SUCCESS.code();
    }

    /** {@code StorPortGetActiveNodeCount}. */
    default int getActiveNodeCount(ULongHolder count) {
        if (count == null) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        count.value = host().topology().activeNodeCount();
        return StorStatus.SUCCESS.code();
    }

    /** {@code StorPortGetNodeAffinity}: the node's first group affinity, as Windows returns; INVALID_PARAMETER for a node without processors. */
    default int getNodeAffinity(int node, AffinityHolder affinity) {
        Topology t = host().topology();
        if (affinity == null || !t.nodes().contains(node)) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        GroupAffinity g = t.nodeAffinity(node).get(0);
        affinity.group = g.group();
        affinity.mask = g.mask();
        return StorStatus.SUCCESS.code();
    }

    /** {@code StorPortGetHighestNodeNumber}. */
    default int getHighestNodeNumber(ULongHolder node) {
        if (node == null) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        node.value = host().topology().highestNodeNumber();
        return StorStatus.SUCCESS.code();
    }
}

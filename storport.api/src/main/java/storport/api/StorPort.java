package storport.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A backend's answers to the StorPort questions: the service every backend registers.
 *
 * <p>Each backend registers it with the service property {@value #BACKEND} naming the backend.
 * The backend selector registers one more, without that property and with the highest
 * {@code service.ranking}, which answers from the backend chosen through {@link storport.api.backend.Backends} and
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

    /** The largest node number {@code StorPortGetNodeAffinity} takes (a USHORT). */
    int MAX_NODE_NUMBER = 65535;

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

    /**
     * The interrupts the adapter's messages have raised so far, per message and processor, read now
     * from the current snapshot's host. Only that adapter's counters are read.
     *
     * @throws StorPortException INVALID_PARAMETER for an unknown adapter; NOT_IMPLEMENTED for a
     *                           backend that counts no interrupts; UNSUCCESSFUL when the counters
     *                           cannot be read
     * @since 2.1
     */
    default InterruptCounts interruptCounts(String adapter) {
        host().adapter(adapter);
        throw new StorPortException(StorStatus.NOT_IMPLEMENTED, "backend " + backend() + " counts no interrupts");
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

    /**
     * {@code StorPortGetMSIInfo}: SUCCESS; INVALID_PARAMETER for an unknown adapter (a null
     * {@code HwDeviceExtension}), a null holder or a message ID outside {@code 0..count-1};
     * INVALID_DEVICE_REQUEST when the adapter has no message interrupts.
     */
    default int getMSIInfo(String adapter, int messageId, Holder<MessageInterrupt> info) {
        Adapter a = host().find(adapter);
        if (a == null || info == null) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        if (a.messageCount() == 0) {
            return StorStatus.INVALID_DEVICE_REQUEST.code();
        }
        if (messageId < 0 || messageId >= a.messageCount()) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        info.value = a.messages().get(messageId);
        return StorStatus.SUCCESS.code();
    }

    /** {@code StorPortGetProcessorCount}: SUCCESS; INVALID_PARAMETER only for a null holder. */
    default int getProcessorCount(ULongHolder count) {
        if (count == null) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        count.value = host().topology().processorCount();
        return StorStatus.SUCCESS.code();
    }

    /** {@code StorPortGetActiveGroupCount}: SUCCESS; INVALID_PARAMETER only for a null holder. */
    default int getActiveGroupCount(ULongHolder count) {
        if (count == null) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        count.value = host().topology().activeGroupCount();
        return StorStatus.SUCCESS.code();
    }

    /**
     * {@code StorPortGetGroupAffinity}: SUCCESS with every active processor of the group;
     * INVALID_PARAMETER for a null holder or a number that is no group number (outside 0..65535);
     * UNSUCCESSFUL for a group number beyond the active groups.
     */
    default int getGroupAffinity(int group, AffinityHolder affinity) {
        Topology t = host().topology();
        if (affinity == null || group < 0 || group > 0xFFFF) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        if (group >= t.activeGroupCount()) {
            return StorStatus.UNSUCCESSFUL.code();
        }
        GroupAffinity g = t.groupAffinity(group);
        affinity.group = g.group();
        affinity.mask = g.mask();
        return StorStatus.SUCCESS.code();
    }

    /** {@code StorPortGetActiveNodeCount}: SUCCESS; INVALID_PARAMETER only for a null holder. */
    default int getActiveNodeCount(ULongHolder count) {
        if (count == null) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        count.value = host().topology().activeNodeCount();
        return StorStatus.SUCCESS.code();
    }

    /**
     * {@code StorPortGetNodeAffinity}: SUCCESS with the node's active processors in its first group
     * (a node that spans groups: {@link #getNodeAffinity2} has them all), or group 0 and an empty mask
     * for a node without active processors, as {@code KeQueryNodeActiveAffinity} answers;
     * INVALID_PARAMETER for a null holder or a node above 65,535.
     */
    default int getNodeAffinity(int node, AffinityHolder affinity) {
        if (affinity == null || node < 0 || node > MAX_NODE_NUMBER) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        Topology t = host().topology();
        GroupAffinity g = t.nodes().contains(node) ? t.nodeAffinity(node).get(0) : new GroupAffinity(0, 0);
        affinity.group = g.group();
        affinity.mask = g.mask();
        return StorStatus.SUCCESS.code();
    }

    /**
     * {@code StorPortGetNodeAffinity2} (Windows 11 22H2): every group affinity of the node's active
     * processors, one per group it spans, in {@code groupAffinities[0..required-1]}; the array's
     * length is {@code GroupAffinitiesCount}. SUCCESS (a node without active processors needs 0);
     * BUFFER_TOO_SMALL with the required count in {@code required} when the array is shorter;
     * INVALID_PARAMETER for a null {@code required}, a null array, or a node that is no node of this
     * host's range (outside 0..{@link #getHighestNodeNumber highest node number}).
     *
     * @since 2.0
     */
    default int getNodeAffinity2(int node, GroupAffinity[] groupAffinities, ULongHolder required) {
        Topology t = host().topology();
        if (required == null || groupAffinities == null || node < 0 || node > t.highestNodeNumber()) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        List<GroupAffinity> all = t.nodes().contains(node) ? t.nodeAffinity(node) : List.of();
        required.value = all.size();
        if (groupAffinities.length < all.size()) {
            return StorStatus.BUFFER_TOO_SMALL.code();
        }
        for (int i = 0; i < all.size(); i++) {
            groupAffinities[i] = all.get(i);
        }
        return StorStatus.SUCCESS.code();
    }

    /** {@code StorPortGetHighestNodeNumber}: SUCCESS with the largest possible node number; INVALID_PARAMETER only for a null holder. */
    default int getHighestNodeNumber(ULongHolder node) {
        if (node == null) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        node.value = host().topology().highestNodeNumber();
        return StorStatus.SUCCESS.code();
    }

    /**
     * {@code StorPortInitializePerfOpts} with {@code Query} TRUE, for the adapter: its
     * {@link PerfConfiguration} (the optimizations it runs with, its redirection range, node and
     * message targets). SUCCESS; INVALID_PARAMETER for an unknown adapter (a null
     * {@code HwDeviceExtension}) or a null holder. The routine's other statuses belong to its
     * initializing form (a miniport setting flags), which a query never reaches.
     *
     * @since 2.0
     */
    default int queryPerfOpts(String adapter, Holder<PerfConfiguration> perfConfigData) {
        Adapter a = host().find(adapter);
        if (a == null || perfConfigData == null) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        perfConfigData.value = PerfConfiguration.of(a);
        return StorStatus.SUCCESS.code();
    }

    /**
     * {@code KeGetProcessorNumberFromIndex}: SUCCESS with the processor's group and number;
     * INVALID_PARAMETER for a null holder or an index outside {@code 0..n-1} (the kernel routine's
     * {@code STATUS_INVALID_PARAMETER}).
     *
     * @since 2.0
     */
    default int getProcessorNumberFromIndex(int processorIndex, Holder<ProcessorNumber> number) {
        Topology t = host().topology();
        if (number == null || !t.isValidIndex(processorIndex)) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        number.value = t.processorNumber(processorIndex);
        return StorStatus.SUCCESS.code();
    }

    /**
     * {@code KeGetProcessorIndexFromNumber}: the processor index, or
     * {@link ProcessorNumber#INVALID_PROCESSOR_INDEX} (0xFFFFFFFF) for a null number or one that names
     * no active processor.
     *
     * @since 2.0
     */
    default int getProcessorIndexFromNumber(ProcessorNumber number) {
        return host().topology().processorIndex(number);
    }
}

package storport.api;

import java.util.List;

/**
 * {@code PERF_CONFIGURATION_DATA} as the query form of {@code StorPortInitializePerfOpts} reads it
 * for one adapter: the optimizations the adapter runs with, its redirection (I/O) message range, its
 * NUMA node, and with {@link #ADV_CONFIG_LOCALITY} the targets of each redirection message.
 *
 * <p>{@link #messageTargets()} is zero-based, as the structure's array is: entry {@code i} belongs to
 * message {@code firstRedirectionMessageNumber + i}, even when the first redirection message is not 0.
 * A message that targets processors in several groups contributes its first group affinity, which
 * is what the structure's single {@code GROUP_AFFINITY} per message can hold.
 *
 * @param version                       {@code STOR_PERF_VERSION} of the structure ({@value #VERSION})
 * @param flags                         a bitwise OR of the {@code STOR_PERF_*} flags below
 * @param concurrentChannels            concurrent {@code HwStorStartIo} channels: one per redirection message
 * @param firstRedirectionMessageNumber the first message used to complete I/O
 * @param lastRedirectionMessageNumber  the last message used to complete I/O
 * @param deviceNode                    the adapter's NUMA node; {@code 0xFFFFFFFF} when unknown
 * @param messageTargets                one entry per redirection message when {@link #ADV_CONFIG_LOCALITY} is set, else empty
 */
public record PerfConfiguration(int version, int flags, int concurrentChannels, int firstRedirectionMessageNumber,
        int lastRedirectionMessageNumber, int deviceNode, List<GroupAffinity> messageTargets) {

    /** {@code STOR_PERF_DPC_REDIRECTION}: completion DPCs run on several processors. */
    public static final int DPC_REDIRECTION = 0x00000001;
    /** {@code STOR_PERF_CONCURRENT_CHANNELS}: concurrent {@code HwStorStartIo} calls. */
    public static final int CONCURRENT_CHANNELS = 0x00000002;
    /** {@code STOR_PERF_INTERRUPT_MESSAGE_RANGES}: interrupt redirection over a message range (version 2). */
    public static final int INTERRUPT_MESSAGE_RANGES = 0x00000004;
    /** {@code STOR_PERF_ADV_CONFIG_LOCALITY}: each redirection message has its own group affinity (version 3). */
    public static final int ADV_CONFIG_LOCALITY = 0x00000008;
    /** {@code STOR_PERF_OPTIMIZE_FOR_COMPLETION_DURING_STARTIO} (version 3). */
    public static final int OPTIMIZE_FOR_COMPLETION_DURING_STARTIO = 0x00000010;
    /** {@code STOR_PERF_DPC_REDIRECTION_CURRENT_CPU} (version 4). */
    public static final int DPC_REDIRECTION_CURRENT_CPU = 0x00000020;
    /** {@code STOR_PERF_NO_SGL} (version 5). */
    public static final int NO_SGL = 0x00000040;
    /** The structure version these answers follow: the one that introduced {@link #ADV_CONFIG_LOCALITY}. */
    public static final int VERSION = 3;
    /** {@code DeviceNode} of an adapter whose node is not known. */
    public static final int UNKNOWN_NODE = 0xFFFFFFFF;

    public PerfConfiguration {
        messageTargets = List.copyOf(messageTargets);
    }

    /**
     * An adapter's configuration: with message interrupts, DPC redirection, concurrent channels and
     * message ranges over its redirection range, and locality with each redirection message's first
     * target affinity; without, no optimization at all (nothing to redirect).
     */
    public static PerfConfiguration of(Adapter adapter) {
        int node = adapter.node() < 0 ? UNKNOWN_NODE : adapter.node();
        if (adapter.messageCount() == 0) {
            return new PerfConfiguration(VERSION, 0, 0, 0, 0, node, List.of());
        }
        int first = adapter.firstRedirectionMessage();
        int last = adapter.lastRedirectionMessage();
        GroupAffinity[] targets = new GroupAffinity[last - first + 1];
        for (int m = first; m <= last; m++) {
            List<GroupAffinity> t = adapter.message(m).targets();
            targets[m - first] = t.isEmpty() ? new GroupAffinity(0, 0) : t.get(0);
        }
        return new PerfConfiguration(VERSION, DPC_REDIRECTION | CONCURRENT_CHANNELS | INTERRUPT_MESSAGE_RANGES | ADV_CONFIG_LOCALITY,
                targets.length, first, last, node, List.of(targets));
    }
}

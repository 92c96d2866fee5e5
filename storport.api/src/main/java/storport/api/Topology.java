package storport.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The active logical processors of a host, in processor groups: an immutable snapshot.
 *
 * <p>Groups follow one deterministic, Windows-like rule: as few groups as possible; whole NUMA nodes
 * are packed first-fit in node order into groups of at most 64 processors; a node larger than 64
 * gets groups of its own in 64-processor chunks. Indexes are group-major and contiguous; inside a
 * group processors go in ascending OS CPU number.
 */
public final class Topology {
    /** The largest host storport models. */
    public static final int MAX_PROCESSORS = 8192;
    /** OS CPU numbers above this are refused: sparse numbering is allowed, absurd numbers are input errors. */
    public static final int MAX_CPU_NUMBER = 65535;

    private final Processor[] processors;
    private final int[] indexOfCpu;          // OS CPU number -> processor index, -1 when absent
    private final int[] groupStart;          // first processor index of each group, plus n at the end
    private final GroupAffinity[] groupAffinity;
    private final int[] nodeIds;             // ascending
    private final List<List<GroupAffinity>> nodeAffinity;
    private final Isolation isolation;
    private final boolean[] isolated;        // by processor index: isolated in any way

    /** The same processors with another isolation: shares everything else. */
    private Topology(Topology t, Isolation isolation) {
        this.processors = t.processors;
        this.indexOfCpu = t.indexOfCpu;
        this.groupStart = t.groupStart;
        this.groupAffinity = t.groupAffinity;
        this.nodeIds = t.nodeIds;
        this.nodeAffinity = t.nodeAffinity;
        this.isolation = isolation;
        this.isolated = new boolean[processors.length];
        for (Processor p : processors) {
            isolated[p.index()] = isolation.isolates(p.cpu());
        }
    }

    private Topology(Processor[] processors, int[] groupStart, int[] nodeIds) {
        this.processors = processors;
        this.groupStart = groupStart;
        this.nodeIds = nodeIds;
        int maxCpu = -1;
        for (Processor p : processors) {
            maxCpu = Math.max(maxCpu, p.cpu());
        }
        indexOfCpu = new int[maxCpu + 1];
        Arrays.fill(indexOfCpu, -1);
        for (Processor p : processors) {
            indexOfCpu[p.cpu()] = p.index();
        }
        int groups = groupStart.length - 1;
        groupAffinity = new GroupAffinity[groups];
        for (int g = 0; g < groups; g++) {
            int size = groupStart[g + 1] - groupStart[g];
            groupAffinity[g] = new GroupAffinity(g, size == 64 ? -1L : (1L << size) - 1);
        }
        List<List<GroupAffinity>> byNode = new ArrayList<>();
        for (int node : nodeIds) {
            List<Integer> indexes = new ArrayList<>();
            for (Processor p : processors) {
                if (p.node() == node) {
                    indexes.add(p.index());
                }
            }
            byNode.add(affinities(indexes));
        }
        nodeAffinity = List.copyOf(byNode);
        isolation = Isolation.NONE;
        isolated = new boolean[processors.length];
    }

    /**
     * Assigns groups and indexes to the online CPUs of a host.
     *
     * @throws StorPortException INVALID_PARAMETER for no CPUs, more than {@value #MAX_PROCESSORS},
     *                           a duplicate or negative CPU number, or a negative node
     */
    public static Topology of(List<LogicalCpu> cpus) {
        if (cpus.isEmpty()) {
            throw StorPortException.invalidParameter("a host needs at least one processor");
        }
        if (cpus.size() > MAX_PROCESSORS) {
            throw StorPortException.invalidParameter(
                    cpus.size() + " processors is more than the " + MAX_PROCESSORS + " storport supports");
        }
        TreeMap<Integer, List<LogicalCpu>> byNode = new TreeMap<>();
        boolean[] seen = new boolean[MAX_CPU_NUMBER + 1];
        for (LogicalCpu c : cpus) {
            if (c.cpu() < 0 || c.cpu() > MAX_CPU_NUMBER || c.node() < 0) {
                throw StorPortException.invalidParameter("CPU number outside 0.." + MAX_CPU_NUMBER + " or negative node in " + c);
            }
            if (seen[c.cpu()]) {
                throw StorPortException.invalidParameter("CPU " + c.cpu() + " is listed twice");
            }
            seen[c.cpu()] = true;
            byNode.computeIfAbsent(c.node(), k -> new ArrayList<>()).add(c);
        }
        // First-fit packing of whole nodes; a node over 64 gets 64-processor groups of its own.
        List<List<LogicalCpu>> groups = new ArrayList<>();
        List<Boolean> shareable = new ArrayList<>();
        for (List<LogicalCpu> node : byNode.values()) {
            node.sort(Comparator.comparingInt(LogicalCpu::cpu));
            if (node.size() > ProcessorNumber.MAX_GROUP_SIZE) {
                for (int i = 0; i < node.size(); i += ProcessorNumber.MAX_GROUP_SIZE) {
                    groups.add(new ArrayList<>(node.subList(i, Math.min(node.size(), i + ProcessorNumber.MAX_GROUP_SIZE))));
                    shareable.add(false);
                }
                continue;
            }
            int target = -1;
            for (int g = 0; g < groups.size() && target < 0; g++) {
                if (shareable.get(g) && groups.get(g).size() + node.size() <= ProcessorNumber.MAX_GROUP_SIZE) {
                    target = g;
                }
            }
            if (target < 0) {
                groups.add(new ArrayList<>());
                shareable.add(true);
                target = groups.size() - 1;
            }
            groups.get(target).addAll(node);
        }
        Processor[] processors = new Processor[cpus.size()];
        int[] groupStart = new int[groups.size() + 1];
        int index = 0;
        for (int g = 0; g < groups.size(); g++) {
            groupStart[g] = index;
            List<LogicalCpu> members = groups.get(g);
            members.sort(Comparator.comparingInt(LogicalCpu::cpu));
            for (int n = 0; n < members.size(); n++) {
                LogicalCpu c = members.get(n);
                processors[index] = new Processor(index, new ProcessorNumber(g, n), c.node(), c.packageId(), c.core(), c.cpu());
                index++;
            }
        }
        groupStart[groups.size()] = index;
        return new Topology(processors, groupStart, byNode.keySet().stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * This topology with the host's isolated CPUs; CPUs that are not online here are kept in the
     * {@link Isolation} as the host stated them and isolate no processor.
     *
     * @since 2.1
     */
    public Topology withIsolation(Isolation isolation) {
        return new Topology(this, Objects.requireNonNull(isolation));
    }

    /** The CPUs the host keeps from ordinary work, as it stated them; {@link Isolation#NONE} by default. @since 2.1 */
    public Isolation isolation() {
        return isolation;
    }

    /** Whether the processor of a valid index is isolated in any way. Allocation-free. @since 2.1 */
    public boolean isIsolated(int index) {
        return isolated[index];
    }

    /** {@code StorPortGetProcessorCount}: the number of active logical processors. */
    public int processorCount() {
        return processors.length;
    }

    /** {@code StorPortGetActiveGroupCount}. */
    public int activeGroupCount() {
        return groupAffinity.length;
    }

    /** {@code StorPortGetActiveNodeCount}: NUMA nodes with at least one active processor. */
    public int activeNodeCount() {
        return nodeIds.length;
    }

    /** {@code StorPortGetHighestNodeNumber}. */
    public int highestNodeNumber() {
        return nodeIds[nodeIds.length - 1];
    }

    /** The NUMA nodes with processors, ascending. */
    public List<Integer> nodes() {
        return Arrays.stream(nodeIds).boxed().toList();
    }

    /** Whether {@code index} is a valid processor index ({@code 0..n-1}). */
    public boolean isValidIndex(int index) {
        return index >= 0 && index < processors.length;
    }

    /** All processors by index. */
    public List<Processor> processors() {
        return List.of(processors);
    }

    /**
     * The processor of an index.
     *
     * @throws StorPortException INVALID_PARAMETER for an index outside {@code 0..n-1}
     */
    public Processor processor(int index) {
        if (!isValidIndex(index)) {
            throw StorPortException.invalidParameter(indexOutOfRange(index));
        }
        return processors[index];
    }

    /** {@code KeGetProcessorNumberFromIndex}; throws INVALID_PARAMETER for an invalid index. */
    public ProcessorNumber processorNumber(int index) {
        return processor(index).number();
    }

    /** {@code KeGetProcessorIndexFromNumber}: the index, or {@link ProcessorNumber#INVALID_PROCESSOR_INDEX}. */
    public int processorIndex(ProcessorNumber number) {
        if (number == null || number.group() >= groupAffinity.length) {
            return ProcessorNumber.INVALID_PROCESSOR_INDEX;
        }
        int index = groupStart[number.group()] + number.number();
        return index < groupStart[number.group() + 1] ? index : ProcessorNumber.INVALID_PROCESSOR_INDEX;
    }

    /** The processor index of an OS CPU number, or -1 when that CPU is not active. */
    public int indexOfCpu(int cpu) {
        return cpu >= 0 && cpu < indexOfCpu.length ? indexOfCpu[cpu] : -1;
    }

    /** {@code StorPortGetGroupAffinity}: all processors of a group; INVALID_PARAMETER for an unknown group. */
    public GroupAffinity groupAffinity(int group) {
        if (group < 0 || group >= groupAffinity.length) {
            throw StorPortException.invalidParameter(
                    "processor group " + group + " is outside 0.." + (groupAffinity.length - 1));
        }
        return groupAffinity[group];
    }

    /**
     * {@code StorPortGetNodeAffinity}: the processors of a node, one affinity per group it spans
     * (Windows returns the first of them); INVALID_PARAMETER for a node without processors.
     */
    public List<GroupAffinity> nodeAffinity(int node) {
        int i = Arrays.binarySearch(nodeIds, node);
        if (i < 0) {
            throw StorPortException.invalidParameter("NUMA node " + node + " has no active processors (nodes: " + nodes() + ")");
        }
        return nodeAffinity.get(i);
    }

    /** Processor indexes as group affinities, ascending by group. */
    public List<GroupAffinity> affinities(List<Integer> indexes) {
        long[] masks = new long[groupAffinity.length];
        for (int i : indexes) {
            ProcessorNumber pn = processors[i].number();
            masks[pn.group()] |= 1L << pn.number();
        }
        List<GroupAffinity> out = new ArrayList<>();
        for (int g = 0; g < masks.length; g++) {
            if (masks[g] != 0) {
                out.add(new GroupAffinity(g, masks[g]));
            }
        }
        return List.copyOf(out);
    }

    String indexOutOfRange(long index) {
        return "processor index " + index + " is outside 0.." + (processors.length - 1);
    }
}

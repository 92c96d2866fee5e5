package storport.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import storport.api.Processor;
import storport.api.StorPortException;
import storport.api.Topology;
import storport.linux.CpuList;
import storport.linux.LinuxInputException;

/**
 * How a simulated adapter spreads its messages over the processors. Linux's policies and the
 * simulator's own map every processor to exactly one message of the redirection range, and a
 * message targets exactly the processors mapped to it. Windows' {@code IRQ_DEVICE_POLICY} modes
 * (wdm.h, https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ne-wdm-_irq_device_policy)
 * decide each message's targets; processors then take the lowest redirection message that targets
 * them (the lookup rule, step 2), and a processor no message targets has none (step 3).
 * {@code managed_irq} is numa-spread with Linux's managed-interrupt isolation.
 */
enum Policy {
    /**
     * Linux group_cpus_evenly() (lib/group_cpus.c) without the cluster level, equal nodes in the order of
     * the current lib/sort.c: Linux 6.11 and later.
     */
    NUMA_SPREAD("numa-spread"),
    /** The same with the single-pop lib/sort.c: Linux 5.4 to 6.8. */
    NUMA_SPREAD_LEGACY("numa-spread-legacy"),
    /** Processor p -> message first + (p mod M). */
    ROUND_ROBIN("round-robin"),
    /** Every processor -> message first: one granted message, or MSI fallback. */
    SINGLE("single"),
    /** A processor -> message table given by the user. */
    EXPLICIT("explicit"),
    /**
     * numa-spread under {@code isolcpus=managed_irq}: a managed vector is delivered to its targets
     * minus the isolated CPUs while any remain (kernel/irq/manage.c, {@code irq_do_set_affinity}:
     * the housekeeping mask is applied to managed interrupts when it leaves a target online).
     */
    MANAGED_IRQ("managed_irq"),
    /**
     * IrqPolicyMachineDefault: "The device does not require any particular assignment of interrupts to
     * processors." The documentation leaves the placement to Windows; storport's choice is win-spread's.
     */
    WIN_MACHINE_DEFAULT("win-machine-default"),
    /**
     * IrqPolicyAllCloseProcessors: interrupts "to processors that are close to the device": every
     * message targets all processors of the device's NUMA node (on a host of one node, all processors).
     */
    WIN_ALL_CLOSE("win-all-close"),
    /**
     * IrqPolicyOneCloseProcessor: "a single interrupt for the device to one processor that is close to the
     * device": every message targets one processor, the lowest of the device's node (the documentation
     * leaves which one open).
     */
    WIN_ONE_CLOSE("win-one-close"),
    /** IrqPolicyAllProcessorsInMachine: interrupts "to all processors": every message targets every processor. */
    WIN_ALL("win-all"),
    /**
     * IrqPolicySpecifiedProcessors: interrupts "to a specific set of processors" (the registry's
     * AssignmentSetOverride): {@code win-specified:LIST}, every message targets the processors of LIST.
     */
    WIN_SPECIFIED("win-specified"),
    /**
     * IrqPolicySpreadMessagesAcrossAllProcessors: "different message-signaled interrupts to different
     * processors, if possible": I/O message k of M targets processor floor(k * n / M) when M &lt;= n (spread
     * evenly over the indexes, so over groups and nodes), else processor k mod n. Which processors is
     * left open by the documentation; this is storport's choice.
     */
    WIN_SPREAD("win-spread"),
    /**
     * IrqPolicyAllProcessorsInMachineWhenSteered: "Reserved for system use." Modelled as win-all, the
     * set it names; how Windows steers is not documented.
     */
    WIN_ALL_WHEN_STEERED("win-all-when-steered");

    private final String id;

    Policy(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    /** The policy of a name; {@code win-specified:LIST} names win-specified with its processors. */
    static Policy of(String id) {
        String name = id != null && id.startsWith(WIN_SPECIFIED.id + ":") ? WIN_SPECIFIED.id : id;
        for (Policy p : values()) {
            if (p.id.equals(name)) {
                return p;
            }
        }
        throw StorPortException.invalidParameter("unknown policy '" + id + "' (policies: " + String.join(", ", ids()) + ")");
    }

    static List<String> ids() {
        return Arrays.stream(values()).map(p -> p == WIN_SPECIFIED ? p.id + ":LIST" : p.id).toList();
    }

    /** Whether the policy decides targets (Windows) rather than a processor -> message map. */
    boolean targetsOnly() {
        return name().startsWith("WIN_");
    }

    /**
     * The processors of {@code win-specified:LIST}, processor indexes, ascending.
     *
     * @throws StorPortException INVALID_PARAMETER for no list, a malformed one, or an index not on the host
     */
    static List<Integer> specified(String id, Topology topology) {
        String list = id.startsWith(WIN_SPECIFIED.id + ":") ? id.substring(WIN_SPECIFIED.id.length() + 1) : "";
        int[] indexes;
        try {
            indexes = CpuList.parse("win-specified", list);
        } catch (LinuxInputException e) {
            indexes = new int[0];
        }
        if (indexes.length == 0) {
            throw StorPortException.invalidParameter("win-specified takes the processors after a colon, e.g. win-specified:0-7, not '" + id + "'");
        }
        for (int p : indexes) {
            if (!topology.isValidIndex(p)) {
                throw StorPortException.invalidParameter("win-specified: processor index " + p + " is outside 0.." + (topology.processorCount() - 1));
            }
        }
        return Arrays.stream(indexes).boxed().toList();
    }

    /**
     * Windows' modes: each message's targets (processor indexes, ascending); messages outside the
     * redirection range target nothing.
     *
     * @param node the device's NUMA node (close processors)
     * @param id   the policy as named, for win-specified's list
     */
    List<List<Integer>> targets(Topology topology, int first, int count, int node, String id) {
        int n = topology.processorCount();
        List<Integer> all = new ArrayList<>(n);
        List<Integer> close = new ArrayList<>();
        for (Processor p : topology.processors()) {
            all.add(p.index());
            if (p.node() == node) {
                close.add(p.index());
            }
        }
        if (close.isEmpty() || topology.activeNodeCount() == 1) {
            close = all;   // "On non-NUMA computers, the effect ... is identical to that of IrqPolicyAllProcessorsInMachine"
        }
        // Immutable, shared by every message: MessageInterrupt's List.copyOf keeps them instead of copying them per message.
        all = List.copyOf(all);
        close = List.copyOf(close);
        List<Integer> specified = this == WIN_SPECIFIED ? specified(id, topology) : null;
        int m = count - first;
        List<List<Integer>> targets = new ArrayList<>(count);
        for (int msg = 0; msg < count; msg++) {
            int k = msg - first;
            if (k < 0) {
                targets.add(List.of());
                continue;
            }
            targets.add(switch (this) {
                case WIN_ALL_CLOSE -> close;
                case WIN_ONE_CLOSE -> List.of(close.get(0));
                case WIN_ALL, WIN_ALL_WHEN_STEERED -> all;
                case WIN_SPECIFIED -> specified;
                case WIN_SPREAD, WIN_MACHINE_DEFAULT -> List.of(m <= n ? (int) ((long) k * n / m) : k % n);
                default -> throw new IllegalStateException(id + " maps processors, it does not decide targets");
            });
        }
        return targets;
    }

    /**
     * Processor index -> message.
     *
     * @param first the first redirection message
     * @param count the number of granted messages; M = count - first I/O messages
     * @param table the explicit table (validated by the caller), else ignored
     */
    int[] assign(Topology topology, int first, int count, List<Integer> table) {
        int n = topology.processorCount();
        int m = count - first;
        int[] map = new int[n];
        switch (this) {
            case NUMA_SPREAD, MANAGED_IRQ -> numaSpread(topology, first, m, map, KernelSort.DOUBLE_POP);
            case NUMA_SPREAD_LEGACY -> numaSpread(topology, first, m, map, KernelSort.SINGLE_POP);
            case ROUND_ROBIN -> {
                for (int p = 0; p < n; p++) {
                    map[p] = first + p % m;
                }
            }
            case SINGLE -> Arrays.fill(map, first);
            case EXPLICIT -> {
                for (int p = 0; p < n; p++) {
                    map[p] = table.get(p);
                }
            }
            default -> throw new IllegalStateException(id + " decides targets, not a map");
        }
        return map;
    }

    /**
     * Linux group_cpus_evenly() (lib/group_cpus.c, __group_cpus_evenly and alloc_groups_to_nodes) for
     * present CPUs, without the cluster step (the host spec has no cluster level). The node order comes
     * from the kernel's unstable heapsort, so equal nodes are visited as the kernel visits them.
     */
    private static void numaSpread(Topology topology, int first, int messages, int[] map, KernelSort sort) {
        int n = topology.processorCount();
        // Node -> its processors in ascending OS CPU number (the kernel walks cpumasks in CPU order).
        TreeMap<Integer, List<Processor>> nodes = new TreeMap<>();
        for (Processor p : topology.processors()) {
            nodes.computeIfAbsent(p.node(), k -> new ArrayList<>()).add(p);
        }
        for (List<Processor> cpus : nodes.values()) {
            cpus.sort(Comparator.comparingInt(Processor::cpu));
        }
        // With more messages than processors, the messages past the last group target nothing.
        int groups = Math.min(messages, n);
        if (groups <= nodes.size()) {
            // numgrps <= nodes: whole nodes go to groups round-robin in node id order (for_each_node_mask)
            int g = 0;
            for (List<Processor> cpus : nodes.values()) {
                for (Processor p : cpus) {
                    map[p.index()] = first + g;
                }
                g = (g + 1) % groups;
            }
            return;
        }
        // node_groups[]: one entry per possible node id (nr_node_ids), UINT_MAX CPUs for a node without any
        int[] ncpus = new int[nodes.lastKey() + 1];
        for (int node = 0; node < ncpus.length; node++) {
            List<Processor> cpus = nodes.get(node);
            ncpus[node] = cpus == null ? UINT_MAX : cpus.size();
        }
        // alloc_groups_to_nodes: in sorted order, each node gets max(1, numgrps * ncpus / remaining_ncpus)
        int remainingGroups = groups;
        int remainingCpus = n;
        int group = 0;
        for (int node : sort.order(ncpus)) {
            if (ncpus[node] == UINT_MAX) {
                continue;
            }
            int k = (int) Math.max(1, (long) remainingGroups * ncpus[node] / remainingCpus);
            remainingGroups -= k;
            remainingCpus -= ncpus[node];
            spreadNode(nodes.get(node), k, first + group, map);
            group += k;
        }
    }

    /** The kernel's UINT_MAX CPU count of a node outside the mask, as a Java int. */
    private static final int UINT_MAX = -1;

    /** Fills k groups of one node: ncpus/k each, the first ncpus%k one more; lowest free CPU, then its SMT siblings. */
    private static void spreadNode(List<Processor> cpus, int k, int firstMessage, int[] map) {
        int ncpus = cpus.size();
        Map<Long, List<Integer>> siblings = new HashMap<>();   // (package, core) -> positions in cpus
        for (int i = 0; i < ncpus; i++) {
            Processor p = cpus.get(i);
            siblings.computeIfAbsent(((long) p.packageId() << 32) | p.core(), x -> new ArrayList<>()).add(i);
        }
        boolean[] taken = new boolean[ncpus];
        int lowestFree = 0;
        int perGroup = ncpus / k;
        int extra = ncpus % k;
        for (int g = 0; g < k; g++) {
            int size = perGroup + (g < extra ? 1 : 0);
            while (size > 0) {
                while (taken[lowestFree]) {
                    lowestFree++;
                }
                Processor c = cpus.get(lowestFree);
                taken[lowestFree] = true;
                map[c.index()] = firstMessage + g;
                size--;
                for (int s : siblings.get(((long) c.packageId() << 32) | c.core())) {
                    if (size == 0) {
                        break;
                    }
                    if (!taken[s]) {
                        taken[s] = true;
                        map[cpus.get(s).index()] = firstMessage + g;
                        size--;
                    }
                }
            }
        }
    }
}

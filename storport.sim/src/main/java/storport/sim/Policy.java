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

/**
 * How a simulated adapter maps processors to the messages of its redirection range. Each policy
 * maps every processor to exactly one message; a message targets exactly the processors mapped to it.
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
    EXPLICIT("explicit");

    private final String id;

    Policy(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    static Policy of(String id) {
        for (Policy p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw StorPortException.invalidParameter("unknown policy '" + id + "' (policies: " + String.join(", ", ids()) + ")");
    }

    static List<String> ids() {
        return Arrays.stream(values()).map(Policy::id).toList();
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
            case NUMA_SPREAD -> numaSpread(topology, first, m, map, KernelSort.DOUBLE_POP);
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

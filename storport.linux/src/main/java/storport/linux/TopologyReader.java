package storport.linux;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import storport.api.LogicalCpu;
import storport.api.StorPortException;
import storport.api.Topology;

/**
 * The host's online CPUs, their package, core and NUMA node, and the isolated ones, as a storport {@link Topology}.
 * Every input here is needed for a correct answer, so any problem is fatal for the scan.
 */
final class TopologyReader {
    static final String CPU = "/sys/devices/system/cpu";
    static final String ONLINE = CPU + "/online";
    static final String NODE = "/sys/devices/system/node";
    static final String NODES_ONLINE = NODE + "/online";

    private TopologyReader() {
    }

    static Topology read(SysfsSource source) throws LinuxInputException {
        int[] online = CpuList.parse(ONLINE, text(source, ONLINE));
        if (online.length == 0) {
            throw new LinuxInputException(ONLINE, "no CPU is online (the file is empty)");
        }
        Map<Integer, Integer> nodeOf = nodes(source);
        Set<Integer> isOnline = new HashSet<>();
        for (int cpu : online) {
            isOnline.add(cpu);
        }
        Map<Integer, Integer> packageOf = new HashMap<>();
        Map<Integer, Integer> coreOf = new HashMap<>();
        boolean[] noLists = new boolean[2];   // [package lists, core lists] unusable: stop asking for them
        List<LogicalCpu> cpus = new ArrayList<>(online.length);
        for (int cpu : online) {
            String t = CPU + "/cpu" + cpu + "/topology/";
            if (!packageOf.containsKey(cpu)) {
                int pkg = SysfsText.parseInt(t + "physical_package_id", text(source, t + "physical_package_id"));
                packageOf.put(cpu, pkg);
                // The CPUs of its package have its package id: one read per package, not per CPU.
                for (int other : siblings(source, t + "core_siblings_list", cpu, noLists, 0)) {
                    if (isOnline.contains(other)) {
                        packageOf.putIfAbsent(other, pkg);
                    }
                }
            }
            if (!coreOf.containsKey(cpu)) {
                int core = SysfsText.parseInt(t + "core_id", text(source, t + "core_id"));
                coreOf.put(cpu, core);
                // Its SMT siblings share its core id: one read per core.
                for (int other : siblings(source, t + "thread_siblings_list", cpu, noLists, 1)) {
                    if (isOnline.contains(other)) {
                        coreOf.putIfAbsent(other, core);
                    }
                }
            }
            // A CPU in no node's list (or a kernel without NUMA) belongs to node 0, as Windows sees a non-NUMA host.
            cpus.add(new LogicalCpu(cpu, nodeOf.getOrDefault(cpu, 0), packageOf.get(cpu), coreOf.get(cpu)));
        }
        try {
            return Topology.of(cpus).withIsolation(IsolationReader.read(source));
        } catch (StorPortException e) {
            throw new LinuxInputException(ONLINE, e.reason());
        }
    }

    /** OS CPU number -> NUMA node; empty when the kernel has no node directory (no NUMA). */
    private static Map<Integer, Integer> nodes(SysfsSource source) throws LinuxInputException {
        Map<Integer, Integer> nodeOf = new HashMap<>();
        String list;
        try {
            list = source.read(NODES_ONLINE);
        } catch (NoSuchFileException e) {
            if (source.exists(NODE)) {
                throw LinuxInputException.of(NODES_ONLINE, e);
            }
            return nodeOf;
        } catch (IOException e) {
            throw LinuxInputException.of(NODES_ONLINE, e);
        }
        for (int node : CpuList.parse(NODES_ONLINE, list)) {
            String path = NODE + "/node" + node + "/cpulist";
            for (int cpu : CpuList.parse(path, text(source, path))) {
                nodeOf.putIfAbsent(cpu, node);
            }
        }
        return nodeOf;
    }

    /**
     * The CPUs of a sibling list that names {@code cpu} itself. The lists only save reads: when one
     * is missing, unreadable or garbled (a capture without it), that kind of list is not asked for
     * again and every CPU's own file answers, as without the lists.
     */
    private static int[] siblings(SysfsSource source, String path, int cpu, boolean[] unusable, int kind) {
        if (unusable[kind]) {
            return new int[0];
        }
        try {
            int[] cpus = CpuList.parse(path, source.read(path));
            if (Arrays.binarySearch(cpus, cpu) >= 0) {
                return cpus;
            }
        } catch (IOException e) {
            // below
        }
        unusable[kind] = true;
        return new int[0];
    }

    private static String text(SysfsSource source, String path) throws LinuxInputException {
        return SysfsFiles.read(source, path);
    }
}

package storport.linux;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import storport.api.LogicalCpu;
import storport.api.StorPortException;
import storport.api.Topology;

/**
 * The host's online CPUs, their package, core and NUMA node, as a storport {@link Topology}.
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
        List<LogicalCpu> cpus = new ArrayList<>(online.length);
        for (int cpu : online) {
            String t = CPU + "/cpu" + cpu + "/topology/";
            int pkg = SysfsText.parseInt(t + "physical_package_id", text(source, t + "physical_package_id"));
            int core = SysfsText.parseInt(t + "core_id", text(source, t + "core_id"));
            // A CPU in no node's list (or a kernel without NUMA) belongs to node 0, as Windows sees a non-NUMA host.
            cpus.add(new LogicalCpu(cpu, nodeOf.getOrDefault(cpu, 0), pkg, core));
        }
        try {
            return Topology.of(cpus);
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

    private static String text(SysfsSource source, String path) throws LinuxInputException {
        return SysfsFiles.read(source, path);
    }
}

package storport.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import storport.api.LogicalCpu;
import storport.api.Processor;
import storport.api.Topology;

/**
 * What real Linux kernels did with a topology, as {@code src/test/kernel/linux-oracle.sh record} prints it,
 * and the comparison of each blk-mq map with the simulator's policy for that kernel.
 */
final class LinuxOracle {

    /**
     * One boot: the script's arguments, what the kernel reported and its NVMe queue maps.
     *
     * @param kernel  the kernel series asked for ({@code 6.1}, {@code 6.12})
     * @param args    sockets cores threads nodes queues..., as given to the script
     * @param release {@code uname -r}
     * @param cpus    every CPU as the kernel saw it (node, package, core)
     * @param queues  controller serial -> hctx i -> its CPUs
     */
    record Boot(String kernel, String args, String release, List<LogicalCpu> cpus,
            Map<String, List<List<Integer>>> queues, int seconds) {

        int sockets() {
            return arg(0);
        }

        int cores() {
            return arg(1);
        }

        int threads() {
            return arg(2);
        }

        /** One NUMA node per socket ("-"), or explicit CPU ranges. */
        boolean nodePerSocket() {
            return args.split(" ")[3].equals("-");
        }

        private int arg(int i) {
            return Integer.parseInt(args.split(" ")[i]);
        }

        @Override
        public String toString() {
            return "Linux " + release + " (" + args + ")";
        }
    }

    private LinuxOracle() {
    }

    static List<Boot> parse(Reader in) throws IOException {
        List<Boot> boots = new ArrayList<>();
        BufferedReader r = new BufferedReader(in);
        String kernel = null;
        String args = null;
        String release = null;
        Map<Integer, Integer> nodeOf = new TreeMap<>();
        List<String[]> cpuLines = new ArrayList<>();
        Map<String, List<List<Integer>>> queues = new LinkedHashMap<>();
        boolean ended = false;
        for (String line; (line = r.readLine()) != null;) {
            if (line.startsWith("#")) {
                continue;   // how and when the maps were recorded
            }
            String[] f = line.split(" ", 2);
            switch (f[0]) {
                case "boot" -> {
                    String[] k = f[1].split(" ", 2);
                    kernel = k[0];
                    args = k[1];
                    release = null;
                    nodeOf.clear();
                    cpuLines.clear();
                    queues = new LinkedHashMap<>();
                    ended = false;
                }
                case "kernel" -> release = f[1];
                case "node" -> {
                    String[] n = f[1].split(" ", 2);
                    for (int cpu : cpuList(n[1])) {
                        nodeOf.put(cpu, Integer.parseInt(n[0]));
                    }
                }
                case "cpu" -> cpuLines.add(f[1].split(" "));
                case "hctx" -> {
                    String[] h = f[1].split(" ", 3);
                    List<List<Integer>> hctxs = queues.computeIfAbsent(h[0], s -> new ArrayList<>());
                    if (Integer.parseInt(h[1]) != hctxs.size()) {
                        throw new IOException("hctx out of order: " + line);
                    }
                    hctxs.add(cpuList(h[2]));
                }
                case "end" -> ended = true;
                case "seconds" -> {
                    if (!ended || release == null) {
                        throw new IOException("boot " + kernel + " " + args + " printed no complete map (hung or failed)");
                    }
                    List<LogicalCpu> cpus = new ArrayList<>();
                    for (String[] c : cpuLines) {
                        int cpu = Integer.parseInt(c[0]);
                        cpus.add(new LogicalCpu(cpu, nodeOf.get(cpu), Integer.parseInt(c[1]), Integer.parseInt(c[2])));
                    }
                    cpus.sort((a, b) -> Integer.compare(a.cpu(), b.cpu()));
                    boots.add(new Boot(kernel, args, release, List.copyOf(cpus), queues, Integer.parseInt(f[1])));
                }
                default -> throw new IOException("unexpected line: " + line);
            }
        }
        return boots;
    }

    /** "0, 1, 4-5" (blk-mq's cpu_list) or "0-3" (a node's cpulist). */
    static List<Integer> cpuList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.replace(" ", "").split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    /**
     * The policy that claims to answer as this kernel does: the lib/sort.c each release carries decides
     * the order of equal nodes.
     */
    static Policy policyFor(String release) {
        if (release.startsWith("6.1.")) {
            return Policy.NUMA_SPREAD_LEGACY;
        }
        if (release.startsWith("6.12.")) {
            return Policy.NUMA_SPREAD;
        }
        throw new IllegalArgumentException("no policy is known to match Linux " + release);
    }

    /**
     * Every difference between the kernel's blk-mq maps and the policy's on the kernel's own topology:
     * NVMe hctx i is I/O queue i+1, served by MSI-X message i+1 (message 0 is the admin queue).
     */
    static List<String> differences(Boot boot) {
        Topology topology = Topology.of(boot.cpus());
        Policy policy = policyFor(boot.release());
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<List<Integer>>> controller : boot.queues().entrySet()) {
            List<List<Integer>> hctxs = controller.getValue();
            int[] map = policy.assign(topology, 1, hctxs.size() + 1, List.of());
            List<List<Integer>> simulated = new ArrayList<>();
            for (int i = 0; i < hctxs.size(); i++) {
                simulated.add(new ArrayList<>());
            }
            for (Processor p : topology.processors()) {
                simulated.get(map[p.index()] - 1).add(p.cpu());
            }
            for (List<Integer> cpus : simulated) {
                cpus.sort(null);
            }
            if (!simulated.equals(hctxs)) {
                out.add(boot + " nvme " + controller.getKey() + " (" + hctxs.size() + " I/O queues): kernel " + hctxs
                        + ", " + policy.id() + " " + simulated);
            }
        }
        return out;
    }

    /** The topology the host spec {@code package:S core:C pu:T} describes, as LogicalCpus, to set beside the kernel's. */
    static List<String> specDifferences(Boot boot) {
        String spec = "package:" + boot.sockets() + " core:" + boot.cores() + " pu:" + boot.threads();
        List<LogicalCpu> fromSpec = TopologySpec.parse(spec).cpus();
        List<String> out = new ArrayList<>();
        if (fromSpec.size() != boot.cpus().size()) {
            return List.of(boot + ": spec '" + spec + "' has " + fromSpec.size() + " CPUs, the kernel " + boot.cpus().size());
        }
        for (int i = 0; i < fromSpec.size(); i++) {
            LogicalCpu s = fromSpec.get(i);
            LogicalCpu k = boot.cpus().get(i);
            // the same CPU number, node and package, and the same SMT siblings (core ids may be numbered differently)
            if (s.cpu() != k.cpu() || s.node() != k.node() || s.packageId() != k.packageId()
                    || !siblings(fromSpec, s).equals(siblings(boot.cpus(), k))) {
                out.add(boot + ": spec '" + spec + "' has " + s + ", the kernel " + k);
            }
        }
        return out;
    }

    private static TreeSet<Integer> siblings(List<LogicalCpu> cpus, LogicalCpu of) {
        TreeSet<Integer> out = new TreeSet<>();
        for (LogicalCpu c : cpus) {
            if (c.packageId() == of.packageId() && c.core() == of.core()) {
                out.add(c.cpu());
            }
        }
        return out;
    }

    static String describe(List<Boot> boots) {
        StringBuilder sb = new StringBuilder();
        for (Boot b : boots) {
            sb.append(b).append(": ").append(b.seconds()).append(" s, queues ")
                    .append(Arrays.toString(b.queues().values().stream().mapToInt(List::size).toArray())).append('\n');
        }
        return sb.toString();
    }
}

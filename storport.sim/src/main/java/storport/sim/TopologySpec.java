package storport.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import storport.api.Isolation;
import storport.api.LogicalCpu;
import storport.api.StorPortException;
import storport.api.Topology;
import storport.linux.CpuList;
import storport.linux.LinuxInputException;
import storport.view.Text;

/**
 * A simulated topology in hwloc's synthetic syntax: {@code package:2 node:2 core:10 pu:2}.
 *
 * <p>Levels go outermost first (package, node, core, pu); a missing level counts 1. OS CPUs are
 * numbered depth-first, so SMT siblings are adjacent; nodes are numbered globally, cores inside
 * their package (as Linux {@code core_id}).
 */
record TopologySpec(int packages, int nodesPerPackage, int coresPerNode, int pusPerCore, Isolation isolation, List<Integer> offline) {
    private static final String[] LEVELS = {"package", "node", "core", "pu"};
    /**
     * After the levels, storport's own tokens, CPU lists in the kernel's words (DESIGN section 6): the
     * isolated CPUs, and the CPUs taken offline after the devices were probed.
     */
    private static final String[] ISOLATION = {"isolated", "nohz_full", "managed_irq", "offline"};

    TopologySpec {
        offline = List.copyOf(offline);
    }

    TopologySpec(int packages, int nodesPerPackage, int coresPerNode, int pusPerCore) {
        this(packages, nodesPerPackage, coresPerNode, pusPerCore, Isolation.NONE, List.of());
    }

    static TopologySpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw StorPortException.invalidParameter("empty host spec: give levels such as 'package:2 node:1 core:20 pu:2'");
        }
        int[] counts = {1, 1, 1, 1};
        int last = -1;
        List<List<Integer>> isolated = new ArrayList<>(List.of(List.of(), List.of(), List.of(), List.of()));
        boolean[] given = new boolean[ISOLATION.length];
        for (String token : spec.trim().split("\\s+")) {
            int colon = token.indexOf(':');
            if (colon < 0) {
                throw bad(spec, "'" + token + "' is not LEVEL:COUNT");
            }
            String name = token.substring(0, colon);
            int way = List.of(ISOLATION).indexOf(name);
            if (way >= 0) {
                if (given[way]) {
                    throw bad(spec, name + " is given twice");
                }
                given[way] = true;
                isolated.set(way, cpus(spec, name, token.substring(colon + 1)));
                continue;
            }
            if (given[0] || given[1] || given[2] || given[3]) {
                throw bad(spec, "level '" + name + "' after the CPU lists (levels come first)");
            }
            // ASCII only: lower-casing would turn the Kelvin sign U+212A into the 'k' of "socket"
            int level = name.chars().allMatch(c -> c < 0x80) ? level(name.toLowerCase(Locale.ROOT)) : -1;
            if (level < 0) {
                throw bad(spec, "unknown level '" + token.substring(0, colon) + "' (levels: package, node, core, pu)");
            }
            if (level <= last) {
                throw bad(spec, "level " + LEVELS[level] + " is repeated or out of order (order: package, node, core, pu)");
            }
            last = level;
            String count = token.substring(colon + 1);
            int n;
            try {
                n = AdapterProperties.parseInt(count);
            } catch (NumberFormatException e) {
                throw bad(spec, "count of " + LEVELS[level] + " must be a whole number, not '" + count + "'");
            }
            if (n < 1) {
                throw bad(spec, "count of " + LEVELS[level] + " must be at least 1, not " + n);
            }
            if (n > Topology.MAX_PROCESSORS) {
                throw bad(spec, "count of " + LEVELS[level] + " is more than " + Topology.MAX_PROCESSORS);
            }
            counts[level] = n;
        }
        long total = (long) counts[0] * counts[1] * counts[2] * counts[3];
        if (total > Topology.MAX_PROCESSORS) {
            throw bad(spec, total + " processors is more than the " + Topology.MAX_PROCESSORS + " storport supports");
        }
        TopologySpec parsed = new TopologySpec(counts[0], counts[1], counts[2], counts[3],
                new Isolation(isolated.get(0), isolated.get(1), isolated.get(2)), isolated.get(3));
        if (parsed.offline.size() >= total) {
            throw bad(spec, "every CPU is offline; at least one stays online");
        }
        for (int way = 0; way < ISOLATION.length; way++) {
            for (int cpu : isolated.get(way)) {
                if (cpu >= total) {
                    throw bad(spec, ISOLATION[way] + " CPU " + cpu + " is not on this host (CPUs 0-" + (total - 1) + ")");
                }
            }
        }
        return parsed;
    }

    private static List<Integer> cpus(String spec, String name, String list) {
        try {
            return Arrays.stream(CpuList.parse(name, list)).boxed().toList();
        } catch (LinuxInputException e) {
            throw bad(spec, name + " takes a CPU list such as 2-3,6, not '" + list + "'");
        }
    }

    private static int level(String name) {
        return switch (name) {
            case "package", "socket" -> 0;
            case "node", "numa", "numanode" -> 1;
            case "core" -> 2;
            case "pu" -> 3;
            default -> -1;
        };
    }

    private static StorPortException bad(String spec, String why) {
        return StorPortException.invalidParameter("host spec '" + spec + "': " + why);
    }

    int processors() {
        return packages * nodesPerPackage * coresPerNode * pusPerCore;
    }

    int nodes() {
        return packages * nodesPerPackage;
    }

    List<LogicalCpu> cpus() {
        List<LogicalCpu> cpus = new ArrayList<>(processors());
        int cpu = 0;
        for (int p = 0; p < packages; p++) {
            for (int n = 0; n < nodesPerPackage; n++) {
                for (int c = 0; c < coresPerNode; c++) {
                    for (int t = 0; t < pusPerCore; t++) {
                        cpus.add(new LogicalCpu(cpu++, p * nodesPerPackage + n, p, n * coresPerNode + c));
                    }
                }
            }
        }
        return cpus;
    }

    /** The host as it runs: its online processors in groups, and the isolated CPUs. */
    Topology topology() {
        if (offline.isEmpty()) {
            return possible();
        }
        List<LogicalCpu> online = new ArrayList<>(cpus());
        online.removeIf(c -> offline.contains(c.cpu()));
        return Topology.of(online).withIsolation(isolation);
    }

    /** Every CPU of the spec, online or not: what the kernel spread the devices' vectors over when it probed them. */
    Topology possible() {
        return Topology.of(cpus()).withIsolation(isolation);
    }

    /** The canonical form, every level spelled out, then the isolated CPUs given. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("package:" + packages + " node:" + nodesPerPackage + " core:" + coresPerNode + " pu:" + pusPerCore);
        List<List<Integer>> ways = List.of(isolation.domain(), isolation.nohzFull(), isolation.managedIrq(), offline);
        for (int way = 0; way < ISOLATION.length; way++) {
            if (!ways.get(way).isEmpty()) {
                s.append(' ').append(ISOLATION[way]).append(':').append(Text.ranges(ways.get(way)));
            }
        }
        return s.toString();
    }
}

package storport.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.MessageInterrupt;
import storport.api.sim.SimulatedAdapter;
import storport.api.StorPortException;
import storport.api.Topology;

/** Builds the simulated {@link Host} from a topology spec and adapter configurations, validating both. */
final class SimHostFactory {
    static final String BACKEND = "sim";
    /** Names end up in configuration PIDs and shell arguments: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    /** First MSI vector Linux hands out on x86; only for plausible-looking MESSAGE_INTERRUPT_INFORMATION. */
    private static final int FIRST_VECTOR = 0x21;

    private SimHostFactory() {
    }

    /**
     * The simulated host. Adapters are spread over every CPU of the spec, as Linux spreads a device's
     * vectors over the possible CPUs when it probes it; CPUs offline then are not processors of the
     * host (Storport numbers active processors only), and a message whose targets are all offline is
     * shut down (see {@link #online}).
     */
    static Host build(String hostSpec, List<SimulatedAdapter> adapters) {
        TopologySpec spec = TopologySpec.parse(hostSpec);
        Topology possible = spec.possible();
        Topology topology = spec.topology();
        List<Adapter> built = new ArrayList<>(adapters.size());
        for (SimulatedAdapter a : adapters) {
            Adapter all = adapter(possible, a);
            built.add(topology == possible ? all : online(topology, possible, all));
        }
        return new Host(BACKEND, topology, built);
    }

    /**
     * An adapter spread over {@code possible} as the online processors see it: each keeps its message;
     * a managed vector keeps its mask and is delivered to its online targets, and is shut down when none
     * is left (kernel/irq/cpuhotplug.c, {@code migrate_one_irq}), its blk-mq queue inactive
     * (block/blk-mq.c, {@code blk_mq_hctx_notify_offline}): a message with no target online.
     */
    static Adapter online(Topology online, Topology possible, Adapter all) {
        Adapter.Builder b = Adapter.builder(all.id()).node(all.node()).policy(all.policy())
                .redirection(all.firstRedirectionMessage(), all.lastRedirectionMessage());
        for (MessageInterrupt m : all.messages()) {
            List<Integer> targets = onlineIndexes(online, possible, m.processors());
            List<Integer> effective = onlineIndexes(online, possible, m.effective());
            b.message(new MessageInterrupt(m.messageId(), m.messageData(), m.messageAddress(), m.interruptVector(), m.interruptLevel(),
                    m.interruptMode(), m.name(), m.irq(), online.affinities(targets), targets, effective.isEmpty() ? targets : effective));
        }
        int[] map = new int[online.processorCount()];
        for (int p = 0; p < map.length; p++) {
            map[p] = all.messageOf(possible.indexOfCpu(online.processor(p).cpu()));
        }
        return b.primary(map).build(online);
    }

    private static List<Integer> onlineIndexes(Topology online, Topology possible, List<Integer> indexes) {
        List<Integer> out = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            int p = online.indexOfCpu(possible.processor(i).cpu());
            if (p >= 0) {
                out.add(p);
            }
        }
        out.sort(null);
        return out;
    }

    static Adapter adapter(Topology topology, SimulatedAdapter a) {
        validate(topology, a);
        int count = a.messages();
        int first = a.firstRedirection();
        Policy policy = Policy.of(a.policy());
        List<List<Integer>> processorsOf;
        int[] map = null;
        if (policy.targetsOnly()) {
            processorsOf = policy.targets(topology, first, count, a.node(), a.policy());
        } else {
            map = policy.assign(topology, first, count, a.table());
            processorsOf = new ArrayList<>(count);
            for (int m = 0; m < count; m++) {
                processorsOf.add(new ArrayList<>());
            }
            for (int p = 0; p < map.length; p++) {
                processorsOf.get(map[p]).add(p);
            }
        }
        Adapter.Builder b = Adapter.builder(a.name()).node(a.node()).policy(policy.targetsOnly() ? a.policy() : policy.id())
                .redirection(first, count - 1);
        if (map != null) {
            b.primary(map);
        }
        for (int m = 0; m < count; m++) {
            List<Integer> processors = processorsOf.get(m);
            int apic = processors.isEmpty() ? 0 : topology.processor(processors.get(0)).cpu();
            int vector = FIRST_VECTOR + m % 0xC0;
            b.message(new MessageInterrupt(m, vector, 0xFEE00000L | ((long) apic << 12), vector, vector, InterruptMode.LATCHED,
                    a.name() + "-msg" + m, -1, topology.affinities(processors), processors,
                    policy == Policy.MANAGED_IRQ ? housekeeping(topology, processors) : processors));
        }
        return b.build(topology);
    }

    /** managed_irq: a managed vector's targets minus the isolated CPUs, while any remain. */
    private static List<Integer> housekeeping(Topology topology, List<Integer> targets) {
        List<Integer> kept = targets.stream().filter(p -> !topology.isIsolated(p)).toList();
        return kept.isEmpty() ? targets : kept;
    }

    static void validate(Topology topology, SimulatedAdapter a) {
        if (a.name() == null || !NAME.matcher(a.name()).matches()) {
            throw StorPortException.invalidParameter("adapter name '" + a.name()
                    + "' must be 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
        String what = "adapter " + a.name() + ": ";
        if (a.messages() < 1 || a.messages() > Adapter.MAX_MESSAGES) {
            throw StorPortException.invalidParameter(what + a.messages() + " messages is outside 1.." + Adapter.MAX_MESSAGES);
        }
        int first = a.firstRedirection();
        if (first < 0 || first >= a.messages()) {
            throw StorPortException.invalidParameter(what + "first redirection message " + first + " is outside 0.."
                    + (a.messages() - 1));
        }
        Policy policy = Policy.of(a.policy());
        if (!topology.nodes().contains(a.node())) {
            throw StorPortException.invalidParameter(what + "NUMA node " + a.node() + " does not exist (nodes: "
                    + topology.nodes() + ")");
        }
        int n = topology.processorCount();
        if (policy == Policy.EXPLICIT) {
            if (a.table().size() != n) {
                throw StorPortException.invalidParameter(what + "the explicit table has " + a.table().size()
                        + " entries; the host has " + n + " processors");
            }
            for (int p = 0; p < n; p++) {
                Integer m = a.table().get(p);
                if (m == null || m < first || m >= a.messages()) {
                    throw StorPortException.invalidParameter(what + "the explicit table maps processor " + p + " to message " + m
                            + ", outside the redirection range " + first + ".." + (a.messages() - 1));
                }
            }
        } else if (policy == Policy.WIN_SPECIFIED) {
            Policy.specified(a.policy(), topology);
        } else if (!a.table().isEmpty()) {
            throw StorPortException.invalidParameter(what + "a table is only for policy explicit, not " + policy.id());
        }
    }
}

package storport.bench;

import java.util.List;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.Isolation;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.Processor;
import storport.api.Topology;

/**
 * What a scan of a host has read, held in memory: its CPUs and isolation, and per adapter its
 * attributes, its vectors (name, IRQ, target and effective processors) and its queue map.
 * {@link #build()} assembles the snapshot from that data the way {@code LinuxHostScanner} does
 * once its reads are done: {@code Topology.of(cpus).withIsolation(..)}, one {@code MessageInterrupt}
 * per vector with its group affinities, {@code Adapter.Builder.build(topology)} (which validates it
 * and precomputes the processor -> message map), {@code new Host}. No file is read.
 */
final class ReadSnapshot {
    private record Vector(String name, int irq, List<Integer> processors, List<Integer> effective) {
    }

    private record ReadAdapter(String id, List<String> aliases, int node, String driver, String policy, int first, int last,
            Vector[] vectors, int[] queueMap) {
    }

    private final String backend;
    private final List<LogicalCpu> cpus;
    private final Isolation isolation;
    private final ReadAdapter[] adapters;

    /** The data {@code host} was built from (every adapter must be available). */
    ReadSnapshot(Host host) {
        Topology t = host.topology();
        backend = host.backend();
        cpus = t.processors().stream().map(ReadSnapshot::cpu).toList();
        isolation = t.isolation();
        adapters = host.adapters().stream().map(a -> read(a, t.processorCount())).toArray(ReadAdapter[]::new);
    }

    private static LogicalCpu cpu(Processor p) {
        return new LogicalCpu(p.cpu(), p.node(), p.packageId(), p.core());
    }

    private static ReadAdapter read(Adapter a, int processors) {
        if (a.unavailableReason() != null) {
            throw new IllegalArgumentException(a.id() + " is unavailable");
        }
        Vector[] vectors = a.messages().stream().map(m -> new Vector(m.name(), m.irq(), m.processors(), m.effective()))
                .toArray(Vector[]::new);
        int[] map = new int[processors];
        for (int p = 0; p < processors; p++) {
            map[p] = a.messageOf(p);
        }
        return new ReadAdapter(a.id(), a.aliases(), a.node(), a.driver(), a.policy(), a.firstRedirectionMessage(),
                a.lastRedirectionMessage(), vectors, map);
    }

    /** The snapshot, assembled from the data in memory. */
    Host build() {
        Topology topology = Topology.of(cpus).withIsolation(isolation);
        Adapter[] built = new Adapter[adapters.length];
        for (int i = 0; i < adapters.length; i++) {
            ReadAdapter r = adapters[i];
            Adapter.Builder b = Adapter.builder(r.id()).aliases(r.aliases()).node(r.node()).driver(r.driver());
            for (int id = 0; id < r.vectors().length; id++) {
                Vector v = r.vectors()[id];
                b.message(new MessageInterrupt(id, 0, 0, 0, 0, InterruptMode.LATCHED, v.name(), v.irq(),
                        topology.affinities(v.processors()), v.processors(), v.effective()));
            }
            built[i] = b.redirection(r.first(), r.last()).primary(r.queueMap()).policy(r.policy()).build(topology);
        }
        return new Host(backend, topology, List.of(built));
    }
}

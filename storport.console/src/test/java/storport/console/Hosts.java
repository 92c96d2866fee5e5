package storport.console;

import java.util.ArrayList;
import java.util.List;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.StorPort;
import storport.api.Topology;

/** Real API hosts for the console's tests: the README's default shape and some awkward ones. */
final class Hosts {
    private Hosts() {
    }

    /** 80 processors, nodes 0 and 1 of 40, so groups 0 (0-39) and 1 (40-79); nvme0 with 32 I/O messages and a sparse adapter. */
    static Host default80() {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int cpu = 0; cpu < 80; cpu++) {
            cpus.add(new LogicalCpu(cpu, cpu / 40, cpu / 40, (cpu % 40) / 2));
        }
        Topology t = Topology.of(cpus);
        Adapter.Builder nvme = Adapter.builder("nvme0").aliases(List.of("0000:00:02.0", "nvme0n1")).node(0).driver("nvme")
                .policy("numa-spread").redirection(1, 32);
        nvme.message(message(t, 0, "nvme0q0", -1, List.of()));
        for (int m = 1; m <= 32; m++) {
            List<Integer> ps = new ArrayList<>();
            for (int p = 0; p < 80; p++) {
                if (p * 32 / 80 == m - 1) {
                    ps.add(p);
                }
            }
            nvme.message(message(t, m, "nvme0q" + m, 100 + m, ps));
        }
        Adapter.Builder sparse = Adapter.builder("sparse").redirection(1, 1);
        sparse.message(message(t, 0, "", -1, List.of()));
        sparse.message(message(t, 1, "sparse-io", -1, List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)));
        return new Host("sim", t, List.of(nvme.build(t), sparse.build(t)));
    }

    /**
     * 150 processors with sparse CPU numbers on three nodes (one of 70: a group of its own and a
     * full 64-bit mask), names that need escaping, an unknown node, an adapter without messages and
     * one the backend lost.
     */
    static Host awkward() {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            int node = i < 70 ? 0 : i < 110 ? 1 : 3;
            cpus.add(new LogicalCpu(i * 3 + (i % 2), node, node, i / 2));
        }
        Topology t = Topology.of(cpus);
        String odd = "na\"me\\ \u0001 \u2028 \u00e9 \t/";
        Adapter.Builder a = Adapter.builder(odd).aliases(List.of("vd<a>", "x'y")).node(-1).driver("virtio\nblk").policy("blk-mq")
                .redirection(1, 3);
        a.message(new MessageInterrupt(0, 0xfffffff0, 0xfee00000L, 34, 34, InterruptMode.LATCHED, "cfg\u2029", 35, List.of(), List.of()));
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            all.add(i);
        }
        a.message(new MessageInterrupt(1, 0x4021, 0xfee01000L, 0x41, 0x41, InterruptMode.LATCHED, "req.0", 36, t.affinities(all), all,
                List.of(3)));
        a.message(message(t, 2, "", -1, List.of(0, 64, 69, 70, 149)));
        a.message(message(t, 3, "idle", 1000, List.of()));
        int[] primary = new int[150];
        for (int i = 0; i < 150; i++) {
            primary[i] = i % 7 == 0 ? -1 : 1 + i % 3;
        }
        a.primary(primary);
        Adapter none = Adapter.builder("nomsi").node(3).build(t);
        Adapter.Builder lost = Adapter.builder("lost").redirection(0, 0).unavailable("device removed");
        lost.message(message(t, 0, "lost-0", 50, List.of(1, 2)));
        return new Host("native", t, List.of(a.build(t), none, lost.build(t)));
    }

    static MessageInterrupt message(Topology t, int id, String name, int irq, List<Integer> processors) {
        return new MessageInterrupt(id, 0x4000 + id, 0xfee00000L, 0x40 + id, 0x40 + id, InterruptMode.LATCHED, name, irq,
                t.affinities(processors), processors);
    }

    static StorPort storport(Host host) {
        return new StorPort() {
            @Override
            public String backend() {
                return host.backend();
            }

            @Override
            public Host host() {
                return host;
            }
        };
    }
}

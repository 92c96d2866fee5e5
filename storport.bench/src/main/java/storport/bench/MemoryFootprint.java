package storport.bench;

import java.util.ArrayList;
import java.util.List;

import storport.sim.SimulatedHosts;
import storport.api.Host;
import storport.api.sim.SimulatedAdapter;

/**
 * Retained heap of the simulator's snapshot for 64 adapters x 2,048 messages on an 8,192-processor
 * host: heap used after full GCs with the snapshot reachable, minus heap used after it is dropped.
 * Run: java -cp storport.bench/target/benchmarks.jar storport.sim.MemoryFootprint
 */
public final class MemoryFootprint {
    private MemoryFootprint() {
    }

    public static void main(String[] args) throws InterruptedException {
        int adapters = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        List<SimulatedAdapter> configs = new ArrayList<>();
        for (int i = 0; i < adapters; i++) {
            configs.add(new SimulatedAdapter("nvme" + i, 2048, null, i % 2 == 0 ? "numa-spread" : "round-robin", i % 32, List.of()));
        }
        long before = settledUsedHeap();
        Host host = SimulatedHosts.build("node:32 core:128 pu:2", configs);
        long with = settledUsedHeap();
        System.out.printf("host: %d processors, %d adapters x %d messages%n", host.topology().processorCount(),
                host.adapters().size(), host.adapters().get(0).messageCount());
        System.out.printf("retained heap: %.1f MB (used %d -> %d bytes)%n", (with - before) / 1e6, before, with);
        System.out.println(host.adapters().get(adapters - 1).messageOf(8191)); // keep host reachable until here
    }

    private static long settledUsedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}

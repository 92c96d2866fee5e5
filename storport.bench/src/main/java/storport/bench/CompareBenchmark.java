package storport.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.Topology;
import storport.api.sim.SimulatedAdapter;
import storport.api.sim.WhatIf;
import storport.sim.SimWhatIf;
import storport.sim.SimulatedHosts;
import storport.view.Compare;

/**
 * What-if (issue 15): one 2,048-message adapter (first redirection message 1, numa-spread, node 0)
 * on a simulated host of 8,192 processors (8 nodes), compared under 8 policies the way
 * {@code storport:compare} does it (storport.shell.CompareCommand: {@link WhatIf#remap} for each
 * policy but {@code current}, then {@link Compare#of}), against the baseline of the same run:
 * building that adapter's snapshot once from its own policy ({@code remap} with numa-spread, i.e.
 * SimHostFactory.adapter).
 *
 * <p>{@code onePolicy}: one policy remapped and scored alone, to see where the compare's time goes;
 * {@code remapOnly}: its remap without the scoring.
 * {@code compareJson}: {@link Compare#json()} of the 8-policy compare (computed once in its setup).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class CompareBenchmark {
    static final String SPEC = "node:8 core:512 pu:2";
    static final List<String> POLICIES = List.of("current", "numa-spread", "numa-spread-legacy", "round-robin", "managed_irq",
            "win-all-close", "win-spread", "win-all");

    private Topology topology;
    private Adapter adapter;
    private final WhatIf whatIf = new SimWhatIf();

    @Setup(Level.Trial)
    public void setUp() {
        Host host = SimulatedHosts.build(SPEC, List.of(new SimulatedAdapter("nvme0", 2048, 1, "numa-spread", 0, List.of())));
        topology = host.topology();
        adapter = host.adapter("nvme0");
        if (topology.processorCount() != 8192 || adapter.messageCount() != 2048) {
            throw new IllegalStateException("not the host of the issue: " + topology.processorCount() + " processors, " + adapter);
        }
        Adapter rebuilt = buildAdapter();
        for (int p = 0; p < topology.processorCount(); p++) {
            if (rebuilt.messageOf(p) != adapter.messageOf(p)) {
                throw new IllegalStateException("remap with numa-spread disagrees with the simulator's adapter at processor " + p);
            }
        }
    }

    static Compare compare(Topology topology, Adapter adapter, WhatIf whatIf, List<String> policies) {
        List<Compare.Remapped> remapped = new ArrayList<>(policies.size());
        for (String policy : policies) {
            remapped.add(new Compare.Remapped(policy, policy.equals("current") ? adapter : whatIf.remap(topology, adapter, policy)));
        }
        return Compare.of("sim", adapter.id(), topology, remapped, List.of());
    }

    /** The baseline: the adapter's snapshot built once from its own policy (numa-spread). */
    @Benchmark
    public Adapter buildAdapter() {
        return whatIf.remap(topology, adapter, "numa-spread");
    }

    /** The whole compare of the 8 policies: each remapped (current as it is), then scored. */
    @Benchmark
    public Compare compare() {
        return compare(topology, adapter, whatIf, POLICIES);
    }

    /** The 8-policy compare, computed once (its own state: only compareJson pays for it). */
    @State(Scope.Benchmark)
    public static class Compared {
        Compare compare;

        @Setup(Level.Trial)
        public void setUp(CompareBenchmark b) {
            compare = b.compare();
            System.out.printf("%n%s", compare.text());
        }
    }

    /** The compare's JSON document (every map: 8 x 8,192 entries). */
    @Benchmark
    public String compareJson(Compared compared) {
        return compared.compare.json();
    }

    /** One policy of the compare, remapped and scored alone. */
    @State(Scope.Benchmark)
    public static class One {
        @Param({"current", "numa-spread", "numa-spread-legacy", "round-robin", "managed_irq", "win-all-close", "win-spread", "win-all"})
        String policy;
    }

    @Benchmark
    public Compare onePolicy(One one) {
        return compare(topology, adapter, whatIf, List.of(one.policy));
    }

    /** One policy's remap alone (current: the adapter as it is), without the scoring. */
    @Benchmark
    public Adapter remapOnly(One one) {
        return one.policy.equals("current") ? adapter : whatIf.remap(topology, adapter, one.policy);
    }
}

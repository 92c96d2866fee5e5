package storport.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import storport.sim.SimulatedHosts;
import storport.api.Adapter;
import storport.api.AdapterHandle;
import storport.api.GroupAffinity;
import storport.api.Host;
import storport.api.MessageInterrupt;
import storport.api.ProcessorNumber;
import storport.api.sim.SimulatedAdapter;
import storport.api.StorPort;
import storport.api.ULongHolder;
import storport.select.Dispatches;

/**
 * The seed call through the StorPort service of the simulated backend, against two baselines in
 * the same run: a plain int[] read (the floor) and a naive lookup that scans the messages' target
 * sets. A 2,048-message numa-spread adapter on hosts of 80, 4,096 and 8,192 processors. Lives in
 * package storport.sim to build the host exactly as the simulator does.
 *
 * <p>Two ways to reach the backend: directly (how consumers were bound before the selector's
 * dispatch) and through the selector's real {@code Dispatch} (the service consumers bind now); and
 * two call forms: by adapter name, and on an {@link AdapterHandle} kept by the caller.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LookupBenchmark {
    @Param({"80", "4096", "8192"})
    int processors;

    private StorPort storport;
    private StorPort dispatch;
    private AdapterHandle handle;
    private AdapterHandle dispatchHandle;
    private Adapter adapter;
    private int[] floor;
    private ProcessorNumber[] numbers;
    private List<MessageInterrupt> messages;
    private final ULongHolder holder = new ULongHolder();
    private int n;
    private int p;

    /** Shaped like SimBackend: a final reference to the model, whose state is one volatile snapshot. */
    static final class Backend implements StorPort {
        private volatile Host host;

        Backend(Host host) {
            this.host = host;
        }

        @Override
        public String backend() {
            return "sim";
        }

        @Override
        public Host host() {
            return host;
        }
    }

    @Setup
    public void setUp() {
        String spec = switch (processors) {
            case 80 -> "package:2 node:1 core:20 pu:2";
            case 4096 -> "node:16 core:128 pu:2";
            case 8192 -> "node:32 core:128 pu:2";
            default -> throw new IllegalArgumentException("no host of " + processors);
        };
        Host host = SimulatedHosts.build(spec, List.of(new SimulatedAdapter("nvme0", 2048, null, "numa-spread", 0, List.of())));
        storport = new Backend(host);
        dispatch = Dispatches.over(storport);
        handle = storport.adapter("nvme0");
        dispatchHandle = dispatch.adapter("nvme0");
        adapter = host.adapter("nvme0");
        n = host.topology().processorCount();
        floor = new int[n];
        numbers = new ProcessorNumber[n];
        for (int i = 0; i < n; i++) {
            floor[i] = adapter.messageOf(i);
            numbers[i] = host.topology().processorNumber(i);
        }
        messages = adapter.messages();
    }

    private int next() {
        int q = p + 1;
        if (q == n) {
            q = 0;
        }
        p = q;
        return q;
    }

    @Benchmark
    public int floorArrayRead() {
        return floor[next()];
    }

    /** StorPortGetMessageInterruptIDFromProcessorIndex, status-code form, through the service. */
    @Benchmark
    public int seedCall() {
        int status = storport.getMessageInterruptIdFromProcessorIndex("nvme0", next(), holder);
        return status ^ holder.value;
    }

    /** The status-code form on a handle kept by the caller, taken from the backend. */
    @Benchmark
    public int handleSeedCall() {
        int status = handle.getMessageInterruptIdFromProcessorIndex(next(), holder);
        return status ^ holder.value;
    }

    /** By name through the selector's dispatch: how a consumer's by-name call runs in the product now. */
    @Benchmark
    public int dispatchSeedCall() {
        int status = dispatch.getMessageInterruptIdFromProcessorIndex("nvme0", next(), holder);
        return status ^ holder.value;
    }

    /** On a handle taken from the dispatch: follows snapshot and backend swaps; how a miniport-style caller asks. */
    @Benchmark
    public int dispatchHandleSeedCall() {
        int status = dispatchHandle.getMessageInterruptIdFromProcessorIndex(next(), holder);
        return status ^ holder.value;
    }

    /** The idiomatic form through the service. */
    @Benchmark
    public int seedCallIdiomatic() {
        return storport.messageInterruptId("nvme0", next());
    }

    /** With the Adapter already in hand (no name lookup): the cost of the rule's precomputed array. */
    @Benchmark
    public int adapterMessageOf() {
        return adapter.messageOf(next());
    }

    /** Baseline: scan every message's target group affinities for the processor. */
    @Benchmark
    public int naiveScan() {
        ProcessorNumber pn = numbers[next()];
        long bit = 1L << pn.number();
        for (MessageInterrupt m : messages) {
            for (GroupAffinity g : m.targets()) {
                if (g.group() == pn.group() && (g.mask() & bit) != 0) {
                    return m.messageId();
                }
            }
        }
        return -1;
    }
}

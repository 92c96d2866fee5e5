package storport.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptCounts;
import storport.api.MessageInterrupt;
import storport.linux.DirectorySource;
import storport.linux.InterruptCounter;
import storport.linux.LinuxHostScanner;
import storport.linux.SysfsSource;
import storport.view.Rates;

/**
 * One sample of interrupt rates on the synthetic 4,096-CPU x 64-NVMe host: an adapter's 129
 * {@code per_cpu_count} files (4,096 counts each, {@link CounterTree}, on tmpfs under /dev/shm, read
 * through {@code DirectorySource.trusted} as the live root is) into {@code InterruptCounts}, and the
 * rates against the previous sample ({@code Rates.of}). The previous sample is the tree's counts less
 * one second of I/O: 20,000 interrupts on each I/O vector's effective CPU, 1 on the admin vector's.
 * Baselines in the same run: the raw read of the same files (Files.readAllBytes, the floor), and
 * Rates.of alone. {@code host*}: all 64 adapters, as a sampler of the whole host would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class RatesBenchmark {
    static final long IO_PER_SECOND = 20_000;

    @Param({"kernel", "everyCpu"})
    String counts;

    private Path root;
    private SysfsSource source;
    private Host host;
    private String adapter;
    private InterruptCounts[] previous;
    private InterruptCounts sample;
    private List<String> adapterFiles;
    private List<String> hostFiles;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SyntheticHostTree tree = Trees.tree(4096, 64);
        host = new LinuxHostScanner().scan(DirectorySource.trusted(tree.root));
        tree.verify(host);
        adapter = host.adapters().get(0).id();
        root = Files.createTempDirectory(Path.of("/dev/shm"), "storport-counters-");
        CounterTree.write(root, host, counts);
        source = DirectorySource.trusted(root);
        Trees.Recorder recorder = new Trees.Recorder(source);
        previous = new InterruptCounts[host.adapters().size()];
        for (int i = 0; i < previous.length; i++) {
            previous[i] = oneSecondEarlier(InterruptCounter.read(recorder, host, host.adapters().get(i).id()));
            if (i == 0) {
                adapterFiles = List.copyOf(recorder.files);
            }
        }
        hostFiles = List.copyOf(recorder.files);
        sample = InterruptCounter.read(source, host, adapter);
        check(Rates.of(previous[0], sample));
        System.out.printf("%n%s: a sample of %s reads %d files, %,d bytes; of the host %d files, %,d bytes%n", counts, adapter,
                adapterFiles.size(), Trees.readAll(root, adapterFiles), hostFiles.size(), Trees.readAll(root, hostFiles));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        SyntheticHostTree.deleteTree(root);
    }

    /** The counts less one second of I/O on each vector's effective CPU. */
    private InterruptCounts oneSecondEarlier(InterruptCounts now) {
        Adapter a = host.adapter(now.adapter());
        long[][] before = new long[a.messageCount()][host.topology().processorCount()];
        for (MessageInterrupt m : a.messages()) {
            for (int p = 0; p < before[m.messageId()].length; p++) {
                before[m.messageId()][p] = now.count(m.messageId(), p);
            }
            int effective = m.effective().get(0);
            before[m.messageId()][effective] = Math.max(0, now.count(m.messageId(), effective) - expected(m));
        }
        return new InterruptCounts(host, a.id(), now.nanoTime() - 1_000_000_000L, now.source(), before);
    }

    private static long expected(MessageInterrupt m) {
        return m.messageId() == 0 ? 1 : IO_PER_SECOND;
    }

    /** The rates of the kernel shape are exactly one second of I/O per vector, on its effective CPU: the parse found every count. */
    private void check(Rates rates) {
        if (!counts.equals("kernel")) {
            return;
        }
        List<String> wrong = new ArrayList<>();
        for (Rates.MessageRate r : rates.messages()) {
            MessageInterrupt m = host.adapter(adapter).message(r.id());
            if (r.total() != expected(m) || r.cpus().size() != 1 || r.cpus().get(0).index() != m.effective().get(0)) {
                wrong.add(r.toString());
            }
        }
        if (!wrong.isEmpty() || !rates.findings().isEmpty()) {
            throw new IllegalStateException("unexpected rates " + wrong + " " + rates.findings());
        }
    }

    /** One sample of one adapter: read its counters, then the rates since the previous sample. */
    @Benchmark
    public Rates sample() throws IOException {
        return Rates.of(previous[0], InterruptCounter.read(source, host, adapter));
    }

    /** Baseline: the raw read of the files a sample of one adapter reads. */
    @Benchmark
    public long sampleFloor() throws IOException {
        return Trees.readAll(root, adapterFiles);
    }

    /** Baseline: the rates document alone, between two samples already in memory. */
    @Benchmark
    public Rates ratesOnly() {
        return Rates.of(previous[0], sample);
    }

    /** One sample of every adapter of the host. */
    @Benchmark
    public void hostSample(Blackhole bh) throws IOException {
        for (int i = 0; i < previous.length; i++) {
            bh.consume(Rates.of(previous[i], InterruptCounter.read(source, host, previous[i].adapter())));
        }
    }

    /** Baseline: the raw read of the files a sample of every adapter reads. */
    @Benchmark
    public long hostFloor() throws IOException {
        return Trees.readAll(root, hostFiles);
    }
}

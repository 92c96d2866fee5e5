package storport.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import storport.api.Host;
import storport.linux.DirectorySource;
import storport.linux.LinuxHostScanner;
import storport.view.Findings;
import storport.view.FindingsCache;

/**
 * The findings of every adapter of the synthetic 4,096-CPU x 64-NVMe host (SyntheticHostTree,
 * scanned once), against the baseline of the same run: building that snapshot from data already in
 * memory ({@link ReadSnapshot}). {@code unchangedSnapshot}: {@link FindingsCache} asked again about
 * the same snapshot, which should cost an identity check and allocate nothing (run with -prof gc).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class FindingsBenchmark {
    private Host host;
    private ReadSnapshot read;
    private final FindingsCache cache = new FindingsCache();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SyntheticHostTree tree = Trees.tree(4096, 64);
        host = new LinuxHostScanner().scan(DirectorySource.trusted(tree.root));
        tree.verify(host);
        read = new ReadSnapshot(host);
        Host rebuilt = read.build();
        tree.verify(rebuilt);
        List<Findings.Finding> findings = Findings.of(host);
        if (!Findings.of(rebuilt).equals(findings) || cache.of(host) != cache.of(host)) {
            throw new IllegalStateException("the rebuilt snapshot or the cache disagrees with the scanned host");
        }
        System.out.printf("%n4096x64: %d findings%n", findings.size());
    }

    /** The baseline: the snapshot assembled from what a scan read, no file read. */
    @Benchmark
    public Host snapshotFromMemory() {
        return read.build();
    }

    /** Every finding of every adapter. */
    @Benchmark
    public List<Findings.Finding> findings() {
        return Findings.of(host);
    }

    /** The findings of a snapshot asked about before. */
    @Benchmark
    public List<Findings.Finding> unchangedSnapshot() {
        return cache.of(host);
    }
}

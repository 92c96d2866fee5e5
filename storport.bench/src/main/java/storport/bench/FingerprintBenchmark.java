package storport.bench;

import java.io.IOException;
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

import storport.linux.DirectorySource;
import storport.linux.LinuxHostScanner;
import storport.linux.SysfsSource;

/**
 * The periodic change check ({@code LinuxHostScanner.fingerprint}) on the 4,096-CPU trees, as the
 * native backend calls it: the same scanner and source every time. Its share of one core at the
 * default interval is cost / 5 s. Baselines in the same run: the first check on a source (it reads
 * every vector and queue file, as the check did before it remembered the kernel-managed ones) and a
 * full scan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class FingerprintBenchmark {
    @Param({"4096"})
    int cpus;

    @Param({"8", "64"})
    int controllers;

    private SysfsSource checked;
    private SysfsSource trusted;
    private final LinuxHostScanner scanner = new LinuxHostScanner();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SyntheticHostTree tree = Trees.tree(cpus, controllers);
        checked = new DirectorySource(tree.root);
        trusted = DirectorySource.trusted(tree.root);
        String a = scanner.fingerprint(checked);
        String b = new LinuxHostScanner().fingerprint(checked);
        if (!a.equals(b) || !a.equals(scanner.fingerprint(checked)) || !a.equals(scanner.fingerprint(trusted))) {
            throw new IllegalStateException("the fingerprint of an unchanged tree changed");
        }
    }

    /** The periodic check: what the native backend pays every interval. */
    @Benchmark
    public String fingerprint() throws IOException {
        return scanner.fingerprint(checked);
    }

    @Benchmark
    public String fingerprintTrusted() throws IOException {
        return scanner.fingerprint(trusted);
    }

    /** Baseline: a check that remembers nothing reads every vector's and queue's files. */
    @Benchmark
    public String fingerprintFirstCall() throws IOException {
        return new LinuxHostScanner().fingerprint(checked);
    }
}

package storport.bench;

import java.io.IOException;
import java.nio.file.Path;
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

import storport.api.Host;
import storport.linux.DirectorySource;
import storport.linux.LinuxHostScanner;
import storport.linux.SysfsSource;

/**
 * The full host snapshot of the native backend on synthetic hosts (SyntheticHostTree) of 16 to
 * 4,096 CPUs and 8 or 64 NVMe controllers, against the raw-read floor measured in the same run:
 * Files.readAllBytes of exactly the files the scan reads (recorded once per tree), on one thread.
 * The scan reads adapters on min(4, nproc) threads; PairedScanRun compares one-reader scans and a
 * two-thread floor, paired round by round.
 *
 * <p>{@code scan}: through {@code new DirectorySource(tree)}, the checked way a capture root is read
 * (no link or path component is followed by the OS); {@code scanTrusted}: through
 * {@code DirectorySource.trusted(tree)}, the way the live root {@code /} is read (the OS resolves
 * paths).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class NativeScanBenchmark {
    @Param({"16", "256", "1024", "4096"})
    int cpus;

    @Param({"8", "64"})
    int controllers;

    private Path root;
    private SysfsSource checked;
    private SysfsSource trusted;
    private final LinuxHostScanner scanner = new LinuxHostScanner();
    private final LinuxHostScanner oneReader = new LinuxHostScanner(1);
    private List<String> files;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SyntheticHostTree tree = Trees.tree(cpus, controllers);
        root = tree.root;
        checked = new DirectorySource(root);
        trusted = DirectorySource.trusted(root);
        Trees.Recorder recorder = new Trees.Recorder(checked);
        Host host = oneReader.scan(recorder);
        tree.verify(host);
        tree.verify(scanner.scan(checked));
        tree.verify(scanner.scan(trusted));
        files = List.copyOf(recorder.files);
        System.out.printf("%n%dx%d: the scan reads %d files, lists %d folders, reads %d links%n", cpus, controllers, files.size(),
                recorder.listings, recorder.links);
    }

    @Benchmark
    public Host scan() throws IOException {
        return scanner.scan(checked);
    }

    @Benchmark
    public Host scanTrusted() throws IOException {
        return scanner.scan(trusted);
    }

    /** The floor: open and read every file the scan reads, one thread. */
    @Benchmark
    public long floor() throws IOException {
        return Trees.readAll(root, files);
    }
}

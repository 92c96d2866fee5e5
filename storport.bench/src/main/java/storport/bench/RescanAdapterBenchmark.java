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
 * A question about one adapter: {@code LinuxHostScanner.rescanAdapter} of nvme37 on the 4,096-CPU x
 * 64-controller tree, given the previous snapshot. Baseline in the same run: the raw-read floor of
 * the files it reads (recorded once). Target: at most 50 ms, reading only that adapter's files.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class RescanAdapterBenchmark {
    static final String ADAPTER = "nvme37n1";

    @Param({"4096"})
    int cpus;

    @Param({"64"})
    int controllers;

    private Path root;
    private SysfsSource checked;
    private SysfsSource trusted;
    private final LinuxHostScanner scanner = new LinuxHostScanner();
    private Host previous;
    private List<String> files;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        SyntheticHostTree tree = Trees.tree(cpus, controllers);
        root = tree.root;
        checked = new DirectorySource(root);
        trusted = DirectorySource.trusted(root);
        previous = scanner.scan(checked);
        Trees.Recorder recorder = new Trees.Recorder(checked);
        Host again = scanner.rescanAdapter(recorder, previous, ADAPTER);
        tree.verify(again);
        files = List.copyOf(recorder.files);
        String own = tree.bdf(37);
        long others = files.stream().filter(p -> p.contains("/topology/") || (p.startsWith("/sys/bus/pci/devices/") && !p.contains(own)))
                .count();
        if (others != 0) {
            throw new IllegalStateException("rescanAdapter read other adapters' or per-CPU files: " + others);
        }
        System.out.printf("%nrescanAdapter(%s) reads %d files, lists %d folders, reads %d links (a full scan: ~%d files)%n", ADAPTER,
                files.size(), recorder.listings, recorder.links, files.size() * controllers);
    }

    @Benchmark
    public Host rescanAdapter() throws IOException {
        return scanner.rescanAdapter(checked, previous, ADAPTER);
    }

    @Benchmark
    public Host rescanAdapterTrusted() throws IOException {
        return scanner.rescanAdapter(trusted, previous, ADAPTER);
    }

    /** The floor: open and read the files rescanAdapter reads. */
    @Benchmark
    public long floor() throws IOException {
        return Trees.readAll(root, files);
    }
}

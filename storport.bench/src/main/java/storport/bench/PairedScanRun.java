package storport.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import storport.linux.DirectorySource;
import storport.linux.LinuxHostScanner;
import storport.linux.SysfsSource;

/**
 * The scan against its raw-read floor, paired: each round runs the floor and every scan variant
 * back to back in one warm JVM, so that load from other work on a shared machine hits them alike;
 * prints medians and the median of the per-round ratios to the floor. A cross-check of
 * NativeScanBenchmark, whose benchmarks run minutes apart.
 *
 * <p>Run: {@code java -cp storport.bench/target/benchmarks.jar storport.bench.PairedScanRun [ROUNDS] [CPUSxCONTROLLERS...]}
 */
public final class PairedScanRun {
    private PairedScanRun() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<String> sizes = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("4096x64");
        for (String size : sizes) {
            String[] p = size.split("x");
            SyntheticHostTree tree = Trees.tree(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
            Path root = tree.root;
            SysfsSource checked = new DirectorySource(root);
            SysfsSource trusted = DirectorySource.trusted(root);
            LinuxHostScanner scanner = new LinuxHostScanner();
            LinuxHostScanner oneReader = new LinuxHostScanner(1);
            Trees.Recorder recorder = new Trees.Recorder(checked);
            tree.verify(oneReader.scan(recorder));
            List<String> files = List.copyOf(recorder.files);
            Map<String, Callable<Object>> runs = new LinkedHashMap<>();
            runs.put("floor (1 thread)", () -> Trees.readAll(root, files));
            runs.put("scan checked", () -> scanner.scan(checked));
            runs.put("scan checked, 1 reader", () -> oneReader.scan(checked));
            runs.put("scan trusted", () -> scanner.scan(trusted));
            runs.put("scan trusted, 1 reader", () -> oneReader.scan(trusted));
            Map<String, List<Double>> ms = new LinkedHashMap<>();
            Map<String, List<Double>> ratio = new LinkedHashMap<>();
            runs.keySet().forEach(k -> {
                ms.put(k, new ArrayList<>());
                ratio.put(k, new ArrayList<>());
            });
            for (int r = -5; r < rounds; r++) {   // 5 rounds of warm-up
                double floor = 0;
                for (Map.Entry<String, Callable<Object>> e : runs.entrySet()) {
                    long t0 = System.nanoTime();
                    e.getValue().call();
                    double t = (System.nanoTime() - t0) / 1e6;
                    if (floor == 0) {
                        floor = t;
                    }
                    if (r >= 0) {
                        ms.get(e.getKey()).add(t);
                        ratio.get(e.getKey()).add(t / floor);
                    }
                }
            }
            System.out.printf("%n%s: %d files read by the scan; %d rounds, warm JVM, nproc %d%n", size, files.size(), rounds,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("%-26s %10s %10s %16s%n", "", "median ms", "min ms", "median x floor");
            for (String k : runs.keySet()) {
                System.out.printf("%-26s %10.1f %10.1f %15.2fx%n", k, median(ms.get(k)), ms.get(k).stream().mapToDouble(d -> d).min()
                        .orElse(0), median(ratio.get(k)));
            }
        }
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(d -> d).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}

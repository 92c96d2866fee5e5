package storport.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        ExecutorService helper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
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
            List<String> firstHalf = files.subList(0, files.size() / 2);
            List<String> secondHalf = files.subList(files.size() / 2, files.size());
            runs.put("floor (1 thread)", () -> Trees.readAll(root, files));
            runs.put("floor (2 threads)", () -> {
                Future<Long> other = helper.submit(() -> Trees.readAll(root, secondHalf));
                return Trees.readAll(root, firstHalf) + other.get();
            });
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
            // warm-up: at least 5 rounds and 5 s; then each measurement repeats a call to last about 50 ms or more
            long warmUntil = System.nanoTime() + 5_000_000_000L;
            double floorMs = 0;
            for (int r = 0; r < 5 || System.nanoTime() < warmUntil; r++) {
                for (Callable<Object> c : runs.values()) {
                    long t0 = System.nanoTime();
                    c.call();
                    if (c == runs.values().iterator().next()) {
                        floorMs = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            int reps = (int) Math.max(1, Math.round(50 / Math.max(floorMs, 0.01)));
            for (int r = 0; r < rounds; r++) {
                double floor = 0;
                for (Map.Entry<String, Callable<Object>> e : runs.entrySet()) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < reps; i++) {
                        e.getValue().call();
                    }
                    double t = (System.nanoTime() - t0) / 1e6 / reps;
                    if (floor == 0) {
                        floor = t;
                    }
                    ms.get(e.getKey()).add(t);
                    ratio.get(e.getKey()).add(t / floor);
                }
            }
            System.out.printf("%n%s: %d files read by the scan; %d rounds of %d call(s) each, warm JVM, nproc %d%n", size, files.size(),
                    rounds, reps, Runtime.getRuntime().availableProcessors());
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

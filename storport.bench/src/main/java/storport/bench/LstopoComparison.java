package storport.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import storport.linux.DirectorySource;
import storport.linux.LinuxHostScanner;
import storport.linux.SysfsSource;

/**
 * Whole processes, in the same run, interleaved: {@code lstopo-no-graphics --input TREE --of xml}
 * (output discarded) against {@code java -cp benchmarks.jar storport.bench.ScanOnce TREE} (one full
 * scan in a fresh JVM, default flags, checked and trusted) and the same with flags for a short-lived
 * JVM ({@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}); and, between them, the scan alone in this
 * warm JVM. Prints the median and minimum wall time of each and the ratios to lstopo.
 *
 * <p>Run: {@code java -cp storport.bench/target/benchmarks.jar storport.bench.LstopoComparison [REPS] [CPUSxCONTROLLERS...]}
 * (default 9 repetitions, 4096x64; trees from the benchmark cache)
 */
public final class LstopoComparison {
    private LstopoComparison() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        List<String> sizes = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("4096x64");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(LstopoComparison.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        for (String size : sizes) {
            String[] p = size.split("x");
            SyntheticHostTree tree = Trees.tree(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
            String dir = tree.root.toString();
            Map<String, List<String>> commands = new LinkedHashMap<>();
            commands.put("lstopo", List.of("lstopo-no-graphics", "--input", dir, "--of", "xml"));
            commands.put("java scan (checked)", List.of(java, "-cp", jar, ScanOnce.class.getName(), dir));
            commands.put("java scan (trusted)", List.of(java, "-cp", jar, ScanOnce.class.getName(), dir, "trusted"));
            commands.put("java C1+SerialGC scan (checked)", List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", jar,
                    ScanOnce.class.getName(), dir));
            commands.put("java C1+SerialGC scan (trusted)", List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", jar,
                    ScanOnce.class.getName(), dir, "trusted"));
            Map<String, List<Double>> times = new LinkedHashMap<>();
            commands.keySet().forEach(k -> times.put(k, new ArrayList<>()));
            Map<String, SysfsSource> warm = new LinkedHashMap<>();
            warm.put("scan alone, warm JVM (checked)", new DirectorySource(tree.root));
            warm.put("scan alone, warm JVM (trusted)", DirectorySource.trusted(tree.root));
            warm.keySet().forEach(k -> times.put(k, new ArrayList<>()));
            LinuxHostScanner scanner = new LinuxHostScanner();
            for (Map.Entry<String, List<String>> c : commands.entrySet()) {
                run(c.getValue());   // warm the page cache and the JDK's own files once
            }
            long warmUntil = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                for (SysfsSource s : warm.values()) {
                    tree.verify(scanner.scan(s));
                }
            }
            for (int r = 0; r < reps; r++) {
                for (Map.Entry<String, List<String>> c : commands.entrySet()) {
                    times.get(c.getKey()).add(run(c.getValue()));
                    if (c.getKey().equals("lstopo")) {
                        for (Map.Entry<String, SysfsSource> w : warm.entrySet()) {
                            long t0 = System.nanoTime();
                            scanner.scan(w.getValue());
                            times.get(w.getKey()).add((System.nanoTime() - t0) / 1e6);
                        }
                    }
                }
            }
            double lstopo = median(times.get("lstopo"));
            System.out.printf("%n%s (%d CPUs, %d controllers), %d runs each, interleaved; wall ms%n", size, tree.cpus, tree.controllers,
                    reps);
            System.out.printf("%-34s %9s %9s %12s%n", "process", "median", "min", "vs lstopo");
            for (Map.Entry<String, List<Double>> t : times.entrySet()) {
                double m = median(t.getValue());
                System.out.printf("%-34s %9.0f %9.0f %11.2fx%n", t.getKey(), m, t.getValue().stream().mapToDouble(d -> d).min().orElse(0),
                        m / lstopo);
            }
        }
    }

    /** Wall time of one process in ms; it must succeed. */
    private static double run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).redirectInput(new File("/dev/null"));
        long t0 = System.nanoTime();
        int rc = pb.start().waitFor();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (rc != 0) {
            throw new IllegalStateException(command + " exited with " + rc);
        }
        return ms;
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(d -> d).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}

package storport.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Startup of the whole product process against a bare Felix + Gogo process, interleaved in one run
 * (BENCHMARKS.md section 6). A: {@code ./storport 'storport:adapters'}, the launcher script as users
 * run it; B: {@code java -jar storport.app/target/bare.jar} (the same bnd launcher and Felix 7.0.5 with
 * only Gogo runtime, shell and command) running {@code echo (lb) ; stop 0} through Gogo's own
 * one-shot path, with the same kind of fresh framework cache. For every set of JVM flags, both get
 * exactly those flags (A through {@code STORPORT_JAVA_OPTS}). Each round runs every pair, the pair's
 * order alternating between rounds, so load from other work on a shared machine hits both alike.
 *
 * <p>The jars are copied first and A runs the copies ({@code STORPORT_JARS}), so a rebuild by someone
 * else during the run changes nothing, and A never builds. Every run's exit code, stderr and output
 * are checked; a wrong one stops the benchmark.
 *
 * <p>Prints, per flag set: median and minimum wall time of A and B, the median of the per-round
 * ratios A/B with its quartiles, and the same for CPU time (user + system of the process tree, from
 * {@code /proc/self/stat}; Linux only).
 *
 * <p>Run from the repository root, after {@code mvn -B -DskipTests package}:
 * {@code java -cp storport.bench/target/benchmarks.jar storport.bench.StartupComparison [--rounds N] [--warmup N] [--fresh-home] [--flags 'F' ...] [--repo DIR]}
 * (defaults: 15 rounds, 2 warm-up rounds, a STORPORT_HOME prepared by the warm-up and kept, flag sets
 * {@code ""} and {@code "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}, the one-shot default of ./storport;
 * {@code --repo}: another tree whose {@code storport} launcher and {@code storport.app/target} jars are A,
 * e.g. an older commit's build; B is always this tree's bare.jar).
 */
public final class StartupComparison {
    /** The bnd launcher's exit code when the framework was stopped from inside (LauncherConstants.STOPPED): B's {@code stop 0}. */
    static final int BND_LAUNCHER_STOPPED = 117;

    static final String STORPORT_COMMAND = "storport:adapters";

    static final String BARE_GOSH_ARGS = "--nointeractive -c 'echo (lb) ; stop 0'";

    private final Path repo;
    private final Path work;
    private final boolean freshHome;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final long clockTicks = clockTicks();
    /** Distinct outputs of A and how often each came: a product that answers differently from run to run shows here. */
    private final Map<String, Integer> storportOutputs = new TreeMap<>();
    private int homes;

    private StartupComparison(Path repo, Path work, boolean freshHome) {
        this.repo = repo;
        this.work = work;
        this.freshHome = freshHome;
    }

    /** One process run: wall and CPU milliseconds. */
    record Run(double wallMs, double cpuMs) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 15;
        int warmup = 2;
        boolean freshHome = false;
        Path repo = Path.of("").toAbsolutePath();
        List<String> flagSets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--fresh-home" -> freshHome = true;
                case "--flags" -> flagSets.add(args[++i].trim());
                case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
                default -> {
                    System.err.println("usage: StartupComparison [--rounds N] [--warmup N] [--fresh-home] [--flags 'JVM FLAGS' ...] [--repo DIR]");
                    System.exit(2);
                }
            }
        }
        if (flagSets.isEmpty()) {
            flagSets = List.of("", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        }
        // the baseline always comes from this tree; the product (launcher and jars) from --repo, if given
        Path bareJar = Path.of("storport.app/target/bare.jar").toAbsolutePath();
        Path target = repo.resolve("storport.app/target");
        if (!Files.isExecutable(repo.resolve("storport")) || !Files.isRegularFile(target.resolve("storport.jar")) || !Files.isRegularFile(bareJar)) {
            System.err.println("run from the repository root after: mvn -B -DskipTests package (needs " + repo.resolve("storport") + ", "
                    + target.resolve("storport.jar") + " and " + bareJar + ")");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("storport-startup");
        try {
            Files.copy(bareJar, work.resolve("bare.jar"), StandardCopyOption.COPY_ATTRIBUTES);
            // storport-cli.jar (one-shot runs) is missing from launchers older than it, which never ask for it
            for (String j : List.of("storport.jar", "storport-cli.jar")) {
                if (Files.isRegularFile(target.resolve(j))) {
                    Files.copy(target.resolve(j), work.resolve(j), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            new StartupComparison(repo, work, freshHome).compare(flagSets, rounds, warmup);
        } finally {
            deleteTree(work);
        }
    }

    private void compare(List<String> flagSets, int rounds, int warmup) throws IOException, InterruptedException {
        Map<String, List<Run>> a = new LinkedHashMap<>();
        Map<String, List<Run>> b = new LinkedHashMap<>();
        flagSets.forEach(f -> {
            a.put(f, new ArrayList<>());
            b.put(f, new ArrayList<>());
        });
        for (int r = -warmup; r < rounds; r++) {
            for (String flags : flagSets) {
                // alternate which of the pair goes first: neither always follows the other's page-cache or CPU state
                Run ra;
                Run rb;
                if ((r & 1) == 0) {
                    ra = storport(flags);
                    rb = bare(flags);
                } else {
                    rb = bare(flags);
                    ra = storport(flags);
                }
                if (r >= 0) {
                    a.get(flags).add(ra);
                    b.get(flags).add(rb);
                }
            }
        }
        System.out.printf("%nA = ./storport '%s' (%s STORPORT_HOME), B = bare.jar with gosh.args=%s%n", STORPORT_COMMAND,
                freshHome ? "a fresh" : "one prepared", BARE_GOSH_ARGS);
        System.out.printf("%d rounds after %d warm-up, pairs interleaved (order alternating), nproc %d, java %s; ms%n", rounds, warmup,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version"));
        System.out.printf("%-44s %9s %9s %9s %9s %22s %9s %9s %22s%n", "JVM flags (both)", "A wall", "A min", "B wall", "B min",
                "wall A/B [q1, q3]", "A cpu", "B cpu", "cpu A/B [q1, q3]");
        for (String flags : flagSets) {
            List<Run> ra = a.get(flags);
            List<Run> rb = b.get(flags);
            List<Double> wallRatio = new ArrayList<>();
            List<Double> cpuRatio = new ArrayList<>();
            for (int i = 0; i < ra.size(); i++) {
                wallRatio.add(ra.get(i).wallMs() / rb.get(i).wallMs());
                cpuRatio.add(ra.get(i).cpuMs() / rb.get(i).cpuMs());
            }
            System.out.printf("%-44s %9.0f %9.0f %9.0f %9.0f %8.2fx [%4.2f, %4.2f] %9.0f %9.0f %8.2fx [%4.2f, %4.2f]%n",
                    flags.isEmpty() ? "(none)" : flags, median(wall(ra)), min(wall(ra)), median(wall(rb)), min(wall(rb)),
                    median(wallRatio), quantile(wallRatio, 0.25), quantile(wallRatio, 0.75), median(cpu(ra)), median(cpu(rb)),
                    median(cpuRatio), quantile(cpuRatio, 0.25), quantile(cpuRatio, 0.75));
        }
        printOutputs();
    }

    private void printOutputs() {
        System.out.printf("%nA's output (%d distinct):%n", storportOutputs.size());
        storportOutputs.forEach((out, n) -> System.out.printf("%d run(s):%n%s", n, out.indent(2)));
    }

    /** A: the launcher script, exactly as a user runs it, on the copied jar. */
    private Run storport(String flags) throws IOException, InterruptedException {
        Path home = freshHome ? work.resolve("home-" + (++homes)) : work.resolve("home");
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("storport").toString(), STORPORT_COMMAND);
        pb.environment().put("STORPORT_HOME", home.toString());
        pb.environment().put("STORPORT_JARS", work.toString());
        pb.environment().put("STORPORT_JAVA_OPTS", flags);
        Timed t = time(pb, null);
        if (t.exit != 0 || !t.err.isEmpty() || !t.out.startsWith("ID ") || !t.out.contains("REDIRECTION") || t.out.lines().count() < 2) {
            throw new IllegalStateException("./storport '" + STORPORT_COMMAND + "' failed (exit " + t.exit + "):\n" + t.out + t.err);
        }
        storportOutputs.merge(t.out, 1, Integer::sum);
        if (freshHome) {
            deleteTree(home);
        }
        return t.run;
    }

    /** B: the bare jar, launched as the script launches the product: same java, a fresh framework cache made and removed per run. */
    private Run bare(String flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        if (!flags.isEmpty()) {
            command.addAll(List.of(flags.split("\\s+")));
        }
        Timed t = time(null, cache -> {
            command.addAll(List.of("-Dlaunch.storage.dir=" + cache.resolve("framework"), "-Dorg.osgi.framework.storage=" + cache.resolve("framework"),
                    "-Dgosh.args=" + BARE_GOSH_ARGS, "-jar", work.resolve("bare.jar").toString()));
            return new ProcessBuilder(command);
        });
        if (t.exit != BND_LAUNCHER_STOPPED || !t.err.isEmpty() || !t.out.contains("Active") || !t.out.contains("Apache Felix Gogo Shell")) {
            throw new IllegalStateException("bare.jar failed (exit " + t.exit + "):\n" + t.out + t.err);
        }
        return t.run;
    }

    private record Timed(Run run, int exit, String out, String err) {
    }

    private interface Launch {
        ProcessBuilder in(Path cache) throws IOException;
    }

    /**
     * Runs one process with stdin from /dev/null and its output into files (no reader threads in this
     * JVM to compete with it). With {@code launch}, the timed span also makes and removes the fresh
     * framework cache, as ./storport does inside its own run.
     */
    private Timed time(ProcessBuilder given, Launch launch) throws IOException, InterruptedException {
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        long cpu0 = childrenCpuTicks();
        long t0 = System.nanoTime();
        Path cache = null;
        ProcessBuilder pb = given;
        if (launch != null) {
            cache = Files.createTempDirectory("storport-fw");
            pb = launch.in(cache);
        }
        pb.redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectError(err.toFile());
        int exit = pb.start().waitFor();
        if (cache != null) {
            deleteTree(cache);
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        double cpu = (childrenCpuTicks() - cpu0) * 1000.0 / clockTicks;
        return new Timed(new Run(wall, cpu), exit, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** User + system time of every waited-for descendant (cutime + cstime of /proc/self/stat), or 0 off Linux. */
    private static long childrenCpuTicks() throws IOException {
        Path stat = Path.of("/proc/self/stat");
        if (!Files.isReadable(stat)) {
            return 0;
        }
        String s = Files.readString(stat);
        // fields after the command name, which is in parentheses and may hold spaces
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return p.waitFor() == 0 ? Long.parseLong(s) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static List<Double> wall(List<Run> runs) {
        return runs.stream().map(Run::wallMs).toList();
    }

    private static List<Double> cpu(List<Run> runs) {
        return runs.stream().map(Run::cpuMs).toList();
    }

    static double median(List<Double> xs) {
        return quantile(xs, 0.5);
    }

    /** Linear interpolation between order statistics (the usual type 7). */
    static double quantile(List<Double> xs, double q) {
        double[] a = xs.stream().mapToDouble(d -> d).sorted().toArray();
        double h = (a.length - 1) * q;
        int lo = (int) Math.floor(h);
        return lo + 1 < a.length ? a[lo] + (h - lo) * (a[lo + 1] - a[lo]) : a[lo];
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import storport.api.backend.BackendInfo;
import storport.api.backend.Backends;
import storport.api.sim.SimulatorControl;
import storport.api.StorPort;

/**
 * Soak under churn (issue 6, part 3): for {@code soak.seconds} (default 60; e.g. -Dsoak.seconds=1800)
 * two threads ask the seed call for {@code nvme0} through Gogo while one thread, in a fixed cycle,
 * switches the backend between sim and native, changes the simulator's {@code nvme0} and creates and
 * removes other simulated adapters, changes the native fixture host and refreshes its snapshot, and
 * updates or restarts the sim and native bundles. A third thread samples the used heap after GC.
 *
 * <p><b>Consistency, precisely.</b> Every change is a numbered <em>version</em> of what the backends
 * may answer: the backends that may be bound (one; two while a switch or a bundle's fall-over is in
 * progress), the simulator's {@code nvme0} (40 messages, {@code round-robin} or {@code single} from a
 * first message F of 3..22, so it answers {@code F + p mod (40 - F)} or {@code F}, never native's 1 or 2)
 * and the native fixture's variant ({@link FixtureRoot#ANSWERS} or {@link #NATIVE_B}). A change is
 * published before it is made and completed once it is confirmed. A lookup that starts when version
 * {@code lo} is complete and ends when {@code hi} is published must answer what some backend of some
 * version in {@code lo..hi} answers for that processor; anything else is inconsistent, and any error
 * is a failure.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SoakIT {
    private static final int PROCESSORS = 4; // the native fixture's; the simulator has 80
    private static final int SIM_MESSAGES = 40;
    /** The native fixture after {@link #setNativeVariant}(1): hctx 0 on CPU 0, hctx 1 on CPUs 1-3. */
    static final int[] NATIVE_B = {1, 2, 2, 2};
    /** Versions older than this many changes are dropped: a lookup never spans that many. */
    private static final int KEEP_VERSIONS = 5_000;

    @Inject
    BundleContext context;
    @Inject
    CommandProcessor processor;
    @Inject
    Backends backends;
    @Inject
    ConfigurationAdmin configurationAdmin;
    @Inject
    SimulatorControl initialSim;

    /** The simulator's nvme0: first message and policy. */
    record SimNvme0(int first, String policy) {
        int answer(int p) {
            return policy.equals("single") ? first : first + p % (SIM_MESSAGES - first);
        }
    }

    /** What may answer in one version: the bound backend(s), the sim's nvme0, the native fixture variant(s). */
    record State(Set<String> backends, SimNvme0 sim, Set<Integer> nativeVariants) {
        State with(Set<String> b) {
            return new State(Set.copyOf(b), sim, nativeVariants);
        }

        State with(SimNvme0 s) {
            return new State(backends, s, nativeVariants);
        }

        State withNative(int variant) {
            return new State(backends, sim, Set.of(variant));
        }

        /** Which backend of this version could give {@code answer} for processor p, or null. */
        String gives(int p, int answer) {
            if (backends.contains("sim") && sim.answer(p) == answer) {
                return "sim";
            }
            if (backends.contains("native")) {
                for (int v : nativeVariants) {
                    if ((v == 0 ? FixtureRoot.ANSWERS : NATIVE_B)[p] == answer) {
                        return "native";
                    }
                }
            }
            return null;
        }
    }

    private final Map<Long, State> versions = new ConcurrentHashMap<>();
    private volatile long published;
    private volatile long completed;
    private State current;

    private Path fixture;
    private int nativeVariant;

    @Configuration
    public Option[] config() {
        return StorportOptions.withNative(StorportOptions.freshDir("SoakIT"));
    }

    /** A new version, visible to lookups from now on; {@link #complete} once the system is in it. */
    private synchronized long publish(State next) {
        long v = published + 1;
        versions.put(v, next);
        published = v;
        current = next;
        versions.remove(v - KEEP_VERSIONS);
        return v;
    }

    private void complete(long version) {
        completed = version;
    }

    private String judge(int p, int answer, long lo) {
        long hi = published;
        for (long v = lo; v <= hi; v++) {
            State s = versions.get(v);
            if (s == null) {
                return null; // dropped: the lookup spanned more than KEEP_VERSIONS changes, which counts against it
            }
            String backend = s.gives(p, answer);
            if (backend != null) {
                return backend;
            }
        }
        return null;
    }

    @Test
    public void lookupsStayConsistentAndHeapStaysFlatUnderChurn() throws Exception {
        int seconds = Integer.getInteger("soak.seconds", 60);
        Gogo.awaitCommands(context, ProductIT.COMMANDS);
        Sims.reset(initialSim);
        fixture = FixtureRoot.create(StorportOptions.freshDir("SoakIT-root"));
        Dictionary<String, Object> nativeConfig = new Hashtable<>();
        nativeConfig.put("root", fixture.toString());
        nativeConfig.put("checkIntervalMillis", 200L);
        configurationAdmin.getConfiguration("storport.native", "?").update(nativeConfig);
        await("native available", () -> available("native"));

        Gogo churn = new Gogo(processor);
        SimNvme0 sim0 = new SimNvme0(3, "round-robin");
        churn.run(simAdapter(sim0));
        backends.select("sim");
        complete(publish(new State(Set.of("sim"), sim0, Set.of(0))));

        Bundle simBundle = bundle("storport.sim");
        Bundle nativeBundle = bundle("storport.native");
        HeapSampler heap = new HeapSampler(seconds);
        LookupLoad load = LookupLoad.start(processor, 2, "nvme0", PROCESSORS, 1, new LookupLoad.Judge() {
            @Override
            public long before() {
                return completed;
            }

            @Override
            public String judge(int processor, int answer, long before) {
                return SoakIT.this.judge(processor, answer, before);
            }
        });

        int switches = 0;
        int adapterChanges = 0;
        int refreshes = 0;
        int updates = 0;
        int restarts = 0;
        int staleAfterSwitch = 0;
        int step = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try {
            while (System.nanoTime() < end) {
                heap.sampleIfDue();
                switch (step++ % 12) {
                    case 0, 3, 6, 9 -> {
                        String next = current.backends().contains("sim") ? "native" : "sim";
                        String old = next.equals("sim") ? "native" : "sim";
                        await(next + " available", () -> available(next));
                        publish(current.with(Set.of(old, next)));
                        backends.select(next);
                        long v = publish(current.with(Set.of(next)));
                        // select() returns once every consumer has switched: the next command answers from the new backend
                        if (current.gives(3, Integer.parseInt(churn.run("storport:msgid nvme0 3").trim())) == null) {
                            staleAfterSwitch++;
                        }
                        complete(v);
                        switches++;
                    }
                    case 1, 5, 11 -> {
                        SimNvme0 next = new SimNvme0(3 + (adapterChanges * 7) % 20, adapterChanges % 3 == 2 ? "single" : "round-robin");
                        long v = publish(current.with(next));
                        churn.run(simAdapter(next));
                        complete(v);
                        adapterChanges++;
                    }
                    case 2, 7 -> {
                        int next = 1 - nativeVariant;
                        long v = publish(new State(current.backends(), current.sim(), Set.of(nativeVariant, next)));
                        setNativeVariant(next);
                        refreshNative(next);
                        complete(v);
                        complete(publish(current.withNative(next)));
                        refreshes++;
                    }
                    case 4 -> {
                        churn.run("storport:sim-adapter soak" + step + " --messages 8 --policy round-robin --node 1");
                        adapterChanges++;
                    }
                    case 8 -> {
                        churn.run("storport:sim-remove soak" + (step - 4));
                        adapterChanges++;
                    }
                    case 10 -> {
                        int kind = (step / 12) % 4;
                        Bundle b = kind % 2 == 0 ? simBundle : nativeBundle;
                        String name = b == simBundle ? "sim" : "native";
                        Set<String> preferred = current.backends();
                        // while the preferred backend's bundle is away, consumers fall over to the other one;
                        // the other backend's bundle going away must not disturb them at all
                        long v = publish(preferred.contains(name) ? current.with(Set.of("sim", "native")) : current);
                        if (kind < 2) {
                            b.stop();
                            b.start();
                            restarts++;
                        } else {
                            b.update();
                            updates++;
                        }
                        await(name + " registered again", () -> available(name));
                        if (name.equals("sim")) {
                            awaitService(SimulatorControl.class);
                        }
                        String back = preferred.iterator().next();
                        long settled = publish(current.with(preferred));
                        await("consumers back on " + back, () -> {
                            try {
                                return back.equals(current.gives(3, Integer.parseInt(churn.run("storport:msgid nvme0 3").trim())));
                            } catch (Exception e) {
                                return false;
                            }
                        });
                        complete(v);
                        complete(settled);
                    }
                    default -> throw new IllegalStateException();
                }
            }
        } finally {
            load.stop();
            churn.close();
        }
        LookupLoad.Result r = load.stop();
        String summary = String.format("soak %d s: %d lookups (%d from sim, %d from native), %d failed, %d inconsistent; %d backend switches"
                + " (%d stale right after), %d simulated adapter changes, %d native refreshes, %d bundle updates, %d bundle restarts;"
                + " %s", seconds, r.lookups(), r.count("sim"), r.count("native"), r.failed(), r.inconsistent(), switches,
                staleAfterSwitch, adapterChanges, refreshes, updates, restarts, heap.report());
        System.out.println(summary);
        Path out = Path.of(System.getProperty("storport.itest.dir", "target/itest"), "SoakIT-summary.txt");
        Files.writeString(out, summary + "\n" + heap.samples() + "\n");

        assertEquals("failed lookups, first: " + r.firstProblem(), 0, r.failed());
        assertEquals("inconsistent lookups, first: " + r.firstProblem(), 0, r.inconsistent());
        assertEquals("answers from the old backend right after a switch returned", 0, staleAfterSwitch);
        assertTrue("both backends answered: " + r, r.count("sim") > 0 && r.count("native") > 0);
        assertTrue("every kind of churn happened: " + summary,
                switches >= 4 && adapterChanges >= 4 && refreshes >= 2 && updates >= 1 && restarts >= 1);
        heap.assertNoGrowth();
    }

    private static String simAdapter(SimNvme0 s) {
        return "storport:sim-adapter nvme0 --messages " + SIM_MESSAGES + " --first " + s.first() + " --policy " + s.policy();
    }

    /**
     * Rewrites the fixture's queue map and hctx 1's vector affinity, each file atomically (sysfs
     * never shows a half-written value); between the files a reader sees a mix, which answers per
     * processor as one of the two variants.
     */
    private void setNativeVariant(int variant) throws Exception {
        String nvme = "sys/devices/pci0000:00/0000:00:01.0/" + FixtureRoot.BDF + "/nvme/nvme0/nvme0n1/mq/";
        write(nvme + "0/cpu_list", variant == 0 ? "0, 1" : "0");
        write(nvme + "1/cpu_list", variant == 0 ? "2, 3" : "1-3");
        write("proc/irq/42/smp_affinity_list", variant == 0 ? "2-3" : "1-3");
        nativeVariant = variant;
    }

    private void write(String relative, String content) throws Exception {
        Path target = fixture.resolve(relative);
        Path tmp = target.resolveSibling(target.getFileName() + ".new");
        Files.writeString(tmp, content + "\n");
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Rebuilds the native snapshot now (its own change check may also do so) and waits until it answers the variant. */
    private void refreshNative(int variant) throws Exception {
        int[] expected = variant == 0 ? FixtureRoot.ANSWERS : NATIVE_B;
        await("native serves variant " + variant, () -> {
            for (ServiceReference<StorPort> ref : references("native")) {
                StorPort nativeBackend = context.getService(ref);
                try {
                    if (nativeBackend != null && nativeBackend.refresh().messageInterruptId("nvme0", 1) == expected[1]) {
                        return true;
                    }
                } finally {
                    context.ungetService(ref);
                }
            }
            return false;
        });
    }

    private List<ServiceReference<StorPort>> references(String backend) {
        try {
            return new ArrayList<>(context.getServiceReferences(StorPort.class, "(" + StorPort.BACKEND + "=" + backend + ")"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean available(String backend) {
        for (BackendInfo b : backends.backends()) {
            if (b.name().equals(backend)) {
                return b.available();
            }
        }
        return false;
    }

    private void awaitService(Class<?> type) throws InterruptedException {
        await(type.getSimpleName() + " registered", () -> context.getServiceReference(type) != null);
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertTrue(what + " within 10 s", System.currentTimeMillis() < deadline);
            Thread.sleep(5);
        }
    }

    /**
     * Heap after GC and loaded classes, sampled at max(1 s, duration / 40) intervals by the churn
     * thread between two of its steps (no bundle update or switch half done), while the lookups go
     * on. The first fifth is warm-up (classes loading, JIT, SCR's and Felix's caches filling) and is
     * not judged. Judged is the floor, each third's least sample: what is retained.
     */
    static final class HeapSampler {
        /**
         * Allowed rise of the last third's floor over the first third's. In sound 60 s runs the floor
         * rose by at most 0.5 MB (what still warms up); a leak of a host snapshot (tens of KB) per
         * change or of a bundle revision's objects per update adds well over 4 MB in a minute of
         * this churn (over 1,000 changes and 100 bundle updates or restarts).
         */
        static final long ALLOWED_RISE_BYTES = 4L << 20;
        /** Allowed rise of the loaded classes' floor: a leaked bundle revision keeps its classes (dozens per update). */
        static final int ALLOWED_RISE_CLASSES = 300;
        private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        private final long intervalMillis;
        private final long warmupMillis;
        private final long start = System.nanoTime();
        private final List<long[]> samples = new ArrayList<>(); // {millis since start, used bytes, loaded classes}

        private long next;

        HeapSampler(int seconds) {
            intervalMillis = Math.max(1000, seconds * 1000L / 40);
            warmupMillis = seconds * 1000L / 5;
            next = intervalMillis;
        }

        void sampleIfDue() throws InterruptedException {
            long now = (System.nanoTime() - start) / 1_000_000;
            if (now >= next) {
                long used = usedAfterGc();
                synchronized (samples) {
                    samples.add(new long[] {now, used, classes.getLoadedClassCount()});
                }
                next = now + intervalMillis;
            }
        }

        /**
         * What the heap pools held right after the collection (their collection usage), not the used
         * heap a moment later: the lookup threads fill a few MB of eden between the two. The least of
         * three full GCs: one may leave garbage that reference processing frees for the next.
         */
        private static long usedAfterGc() throws InterruptedException {
            long used = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                System.gc();
                long after = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        after += pool.getCollectionUsage().getUsed();
                    }
                }
                used = Math.min(used, after);
                Thread.sleep(20);
            }
            return used;
        }

        private List<long[]> judged() {
            synchronized (samples) {
                return samples.stream().filter(s -> s[0] >= warmupMillis).toList();
            }
        }

        String samples() {
            StringBuilder b = new StringBuilder("samples (s: MB used after GC / loaded classes):");
            synchronized (samples) {
                for (long[] s : samples) {
                    b.append(String.format(" %.1f:%.1f/%d", s[0] / 1000.0, s[1] / 1048576.0, s[2]));
                }
            }
            return b.toString();
        }

        /** {first third's floor, last third's floor} of column {@code i}, or null with fewer than 3 judged samples. */
        private long[] floors(int i) {
            List<long[]> j = judged();
            int third = j.size() / 3;
            if (third == 0) {
                return null;
            }
            return new long[] {j.subList(0, third).stream().mapToLong(s -> s[i]).min().orElseThrow(),
                j.subList(j.size() - third, j.size()).stream().mapToLong(s -> s[i]).min().orElseThrow()};
        }

        String report() {
            long[] heap = floors(1);
            long[] loaded = floors(2);
            if (heap == null) {
                return "heap: " + judged().size() + " samples after warm-up, too few to judge";
            }
            return String.format("heap after GC: %d samples (%d after warm-up), floor of the first third %.1f MB, of the last third"
                    + " %.1f MB; loaded classes %d -> %d", samples.size(), judged().size(), heap[0] / 1048576.0, heap[1] / 1048576.0,
                    loaded[0], loaded[1]);
        }

        void assertNoGrowth() {
            long[] heap = floors(1);
            long[] loaded = floors(2);
            assertTrue("at least 3 heap samples after warm-up: " + samples(), heap != null);
            assertTrue(String.format("heap grew: the last third's floor %.1f MB > the first third's %.1f MB + %d MB; %s",
                    heap[1] / 1048576.0, heap[0] / 1048576.0, ALLOWED_RISE_BYTES >> 20, samples()), heap[1] <= heap[0] + ALLOWED_RISE_BYTES);
            assertTrue(String.format("loaded classes grew: %d -> %d (allowed +%d); %s", loaded[0], loaded[1], ALLOWED_RISE_CLASSES,
                    samples()), loaded[1] <= loaded[0] + ALLOWED_RISE_CLASSES);
        }
    }
}

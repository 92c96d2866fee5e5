package storport.bench;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Backend swaps in the real product (issue #5, part 2), run from the repository root:
 * <ul>
 * <li>{@code switchAndAnswer}: switch the active backend (sim <-> native), then ask the seed call
 * through the shell's greedy consumer, which must already answer from the new backend: the time
 * until every consumer answers from the new one (sample mode: median, p99);
 * <li>{@code switchOnly}: {@code Backends.select} alone, which returns once every consumer answers
 * from the new backend; {@code answerOnly}: the same checked lookup without a switch, the cost of
 * the consumer call inside {@code switchAndAnswer} (same run, sample mode);
 * <li>{@code switching} vs {@code quiet}: seed-call throughput of 2 threads through the shell while
 * a third switches the backend every millisecond (on a schedule), and with no switching, in the same run. Every
 * answer is checked; a failed or inconsistent lookup fails the run.
 * </ul>
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SwapBenchmark {
    /** nvme0, processor 2: the simulator's default host answers 17 (as Linux: node 1 first), the native fixture 2. */
    static final String LOOKUP = "storport:msgid nvme0 2";
    static final String SIM_ANSWER = "17";
    static final String NATIVE_ANSWER = "2";

    EmbeddedProduct product;
    final AtomicLong failed = new AtomicLong();
    final AtomicLong lookups = new AtomicLong();
    private EmbeddedProduct.Session session;
    private boolean toNative = true;

    @Setup(Level.Trial)
    public void start() throws Exception {
        product = new EmbeddedProduct(Files.createTempDirectory("storport-swap"));
        session = product.session();
        product.select("native"); // waits until the native backend has read its root
        product.select("sim");
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        System.out.printf("%nlookups checked: %d, failed or inconsistent: %d%n", lookups.get(), failed.get());
        product.close();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " lookups failed or were inconsistent");
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String switchAndAnswer() throws Exception {
        String next = toNative ? "native" : "sim";
        toNative = !toNative;
        product.select(next);
        String answer = session.run(LOOKUP);
        lookups.incrementAndGet();
        if (!answer.equals(next.equals("native") ? NATIVE_ANSWER : SIM_ANSWER)) {
            failed.incrementAndGet();
            throw new IllegalStateException("after switching to " + next + " the consumer answered " + answer);
        }
        return answer;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void switchOnly() throws Exception {
        String next = toNative ? "native" : "sim";
        toNative = !toNative;
        product.select(next);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String answerOnly() throws Exception {
        String answer = session.run(LOOKUP);
        lookups.incrementAndGet();
        if (!answer.equals(SIM_ANSWER) && !answer.equals(NATIVE_ANSWER)) {
            failed.incrementAndGet();
            throw new IllegalStateException("the consumer answered " + answer);
        }
        return answer;
    }

    /** One consumer session per lookup thread. */
    @State(Scope.Thread)
    public static class Consumer {
        EmbeddedProduct.Session session;

        @Setup(Level.Trial)
        public void open(SwapBenchmark bench) throws Exception {
            session = bench.product.session();
        }
    }

    private String lookup(Consumer consumer) {
        lookups.incrementAndGet();
        try {
            String answer = consumer.session.run(LOOKUP);
            if (!answer.equals(SIM_ANSWER) && !answer.equals(NATIVE_ANSWER)) {
                failed.incrementAndGet();
            }
            return answer;
        } catch (Exception e) {
            failed.incrementAndGet();
            return e.toString();
        }
    }

    @Benchmark
    @Group("switching")
    @GroupThreads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public String lookupWhileSwitching(Consumer consumer) {
        return lookup(consumer);
    }

    @Benchmark
    @Group("switching")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void switchEveryMillisecond() throws Exception {
        String next = toNative ? "native" : "sim";
        toNative = !toNative;
        product.select(next);
        // on a 1 ms schedule, not "sleep 1 ms after each switch": an oversleep is made up by the next wait
        long now = System.nanoTime();
        if (nextSwitch == 0 || nextSwitch < now - 10_000_000) {
            nextSwitch = now; // first call, or too far behind to catch up
        }
        nextSwitch += 1_000_000;
        long wait = nextSwitch - now;
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** When the switcher switches next (System.nanoTime); touched by the switcher thread only. */
    private long nextSwitch;

    @Benchmark
    @Group("quiet")
    @GroupThreads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public String lookupQuiet(Consumer consumer) {
        return lookup(consumer);
    }
}

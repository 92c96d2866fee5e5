package storport.itest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.apache.felix.service.command.CommandProcessor;

/**
 * Threads that ask the seed call ({@code storport:msgid ADAPTER P}) through the real Gogo shell, one
 * session each, until closed, and judge every answer. The load of SwapUnderLoadIT, NativeIT and SoakIT.
 *
 * <p>A lookup that throws (a STOR_STATUS, no backend, a non-number) is <em>failed</em>; an answer the
 * {@link Judge} rejects is <em>inconsistent</em>; accepted answers are counted under the judge's label.
 */
final class LookupLoad implements AutoCloseable {

    /** Decides whether an answer is one the backends could have given. */
    interface Judge {
        /** Called right before the lookup is sent; the value is handed to {@link #judge}. SoakIT passes its change counter. */
        default long before() {
            return 0;
        }

        /**
         * @param before what {@link #before()} returned for this lookup
         * @return a label to count the answer under, or null when no backend could have given it
         */
        String judge(int processor, int answer, long before);
    }

    /** The counts when the load stopped. */
    record Result(long lookups, long failed, long inconsistent, Map<String, Long> byLabel, String firstProblem) {
        long count(String label) {
            return byLabel.getOrDefault(label, 0L);
        }

        @Override
        public String toString() {
            return lookups + " lookups " + byLabel + ", " + failed + " failed, " + inconsistent + " inconsistent";
        }
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final LongAdder lookups = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder inconsistent = new LongAdder();
    private final Map<String, LongAdder> byLabel = new ConcurrentHashMap<>();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private Result result;

    /**
     * Starts {@code threads} lookup threads; thread {@code t} starts at processor {@code t * 37} and
     * steps by {@code stride}, modulo {@code processors}.
     */
    static LookupLoad start(CommandProcessor processor, int threads, String adapter, int processors, int stride, Judge judge) {
        LookupLoad load = new LookupLoad();
        for (int t = 0; t < threads; t++) {
            int first = t * 37 % processors;
            Thread thread = new Thread(() -> load.run(processor, adapter, processors, stride, first, judge), "lookup-" + adapter + "-" + t);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void run(CommandProcessor processor, String adapter, int processors, int stride, int first, Judge judge) {
        try (Gogo gogo = new Gogo(processor)) {
            int p = first;
            while (!stop.get()) {
                p = (p + stride) % processors;
                lookups.increment();
                long before = judge.before();
                String answer = null;
                try {
                    answer = gogo.run("storport:msgid " + adapter + " " + p).trim();
                    int m = Integer.parseInt(answer);
                    String label = judge.judge(p, m, before);
                    if (label == null) {
                        inconsistent.increment();
                        firstProblem.compareAndSet(null, "processor " + p + " answered " + m);
                    } else {
                        byLabel.computeIfAbsent(label, l -> new LongAdder()).increment();
                    }
                } catch (Exception e) {
                    failed.increment();
                    firstProblem.compareAndSet(null, "processor " + p + ": " + (answer == null ? e.toString() : "'" + answer + "'"));
                }
            }
        }
    }

    /** Lookups so far, while running. */
    long lookups() {
        return lookups.sum();
    }

    /** Stops the threads (waiting up to 30 s for each) and returns the counts; idempotent. */
    synchronized Result stop() throws InterruptedException {
        if (result == null) {
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
                if (t.isAlive()) {
                    throw new AssertionError(t.getName() + " still runs 30 s after the stop: a lookup hangs");
                }
            }
            Map<String, Long> labels = new TreeMap<>();
            byLabel.forEach((k, v) -> labels.put(k, v.sum()));
            result = new Result(lookups.sum(), failed.sum(), inconsistent.sum(), Map.copyOf(labels), firstProblem.get());
        }
        return result;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /**
     * For backends whose answers do not change: {@code label1} when the answer is {@code expected1[p]},
     * else {@code label2} when it is {@code expected2[p]}, else null (inconsistent).
     */
    static String either(int answer, int p, String label1, int[] expected1, String label2, int[] expected2) {
        if (answer == expected1[p]) {
            return label1;
        }
        return answer == expected2[p] ? label2 : null;
    }
}

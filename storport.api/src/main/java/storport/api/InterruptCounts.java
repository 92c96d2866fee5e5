package storport.api;

import java.util.Objects;

/**
 * The interrupts one adapter's messages have raised so far, per message and processor, as the
 * platform counts them (Linux: {@code /sys/kernel/irq/<irq>/per_cpu_count}, which counts since
 * boot), read at one moment. Two readings some seconds apart give the rates. Immutable.
 *
 * @since 2.1
 */
public final class InterruptCounts {
    private final Host host;
    private final String adapter;
    private final long nanoTime;
    private final String source;
    private final long[][] counts;

    /**
     * @param host     the snapshot whose adapter and processors the counts are indexed by
     * @param adapter  the adapter's id in {@code host}
     * @param nanoTime when they were read ({@link System#nanoTime()})
     * @param source   where they were read from, for the user: a file name or the simulator's load model
     * @param counts   {@code counts[message][processor index]}, one row per message of the adapter; copied
     * @throws StorPortException INVALID_PARAMETER when the rows do not fit the adapter and host
     */
    public InterruptCounts(Host host, String adapter, long nanoTime, String source, long[][] counts) {
        this.host = Objects.requireNonNull(host);
        Adapter a = host.adapter(adapter);
        this.adapter = a.id();
        this.nanoTime = nanoTime;
        this.source = Objects.requireNonNull(source);
        if (counts.length != a.messageCount()) {
            throw StorPortException.invalidParameter(counts.length + " rows of counts for the " + a.messageCount() + " messages of " + a.id());
        }
        this.counts = new long[counts.length][];
        for (int m = 0; m < counts.length; m++) {
            if (counts[m].length != host.topology().processorCount()) {
                throw StorPortException.invalidParameter("message " + m + " has counts for " + counts[m].length + " processors, not "
                        + host.topology().processorCount());
            }
            this.counts[m] = counts[m].clone();
        }
    }

    /** The snapshot the counts are indexed by. */
    public Host host() {
        return host;
    }

    /** The adapter's id. */
    public String adapter() {
        return adapter;
    }

    /** When they were read, in {@link System#nanoTime()} terms. */
    public long nanoTime() {
        return nanoTime;
    }

    /** Where they were read from, e.g. {@code per_cpu_count}, {@code /proc/interrupts}, {@code load model}. */
    public String source() {
        return source;
    }

    /** The interrupts message {@code messageId} raised on the processor of {@code index}. */
    public long count(int messageId, int index) {
        return counts[messageId][index];
    }
}

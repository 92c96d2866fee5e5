package storport.api.sim;

import java.util.List;

/**
 * A simulated adapter's configuration.
 *
 * @param name     the adapter id, e.g. {@code nvme0}
 * @param messages granted messages, 1..2048
 * @param first    first redirection (I/O) message, or null for the default (1 when messages &gt; 1, else 0)
 * @param policy   {@code numa-spread}, {@code numa-spread-legacy}, {@code round-robin}, {@code single}, {@code explicit},
 *                 {@code managed_irq}, or a Windows mode: {@code win-machine-default}, {@code win-all-close},
 *                 {@code win-one-close}, {@code win-all}, {@code win-specified:LIST}, {@code win-spread},
 *                 {@code win-all-when-steered}
 * @param node     NUMA node of the device
 * @param table    for {@code explicit}: processor index -&gt; message, one entry per processor; else empty
 */
public record SimulatedAdapter(String name, int messages, Integer first, String policy, int node, List<Integer> table) {

    public SimulatedAdapter {
        table = table == null ? List.of() : List.copyOf(table);
    }

    /** The first redirection message, applying the default. */
    public int firstRedirection() {
        return first != null ? first : messages > 1 ? 1 : 0;
    }
}

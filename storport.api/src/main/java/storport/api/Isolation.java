package storport.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The CPUs a host keeps from ordinary work, by OS CPU number (ascending, distinct), as Linux states
 * them: an I/O interrupt handled there disturbs the latency-critical work they were isolated for.
 *
 * @param domain     isolated from the scheduler's domains: {@code /sys/devices/system/cpu/isolated},
 *                   {@code isolcpus=} with its default {@code domain} flag
 * @param nohzFull   running without the scheduler tick: {@code /sys/devices/system/cpu/nohz_full},
 *                   {@code nohz_full=}
 * @param managedIrq isolated with {@code isolcpus=managed_irq}: the kernel keeps a managed vector's
 *                   effective CPUs off them while one of its targets is not isolated
 *                   (kernel/irq/manage.c, {@code irq_do_set_affinity})
 * @since 2.1
 */
public record Isolation(List<Integer> domain, List<Integer> nohzFull, List<Integer> managedIrq) {
    /** No CPU isolated. */
    public static final Isolation NONE = new Isolation(List.of(), List.of(), List.of());

    /** Copies and sorts the lists, dropping duplicates; INVALID_PARAMETER for a negative CPU number. */
    public Isolation {
        domain = normal(domain);
        nohzFull = normal(nohzFull);
        managedIrq = normal(managedIrq);
    }

    private static List<Integer> normal(List<Integer> cpus) {
        int[] sorted = cpus.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        if (sorted.length > 0 && sorted[0] < 0) {
            throw StorPortException.invalidParameter("CPU number " + sorted[0] + " cannot be isolated: CPU numbers are not negative");
        }
        return Arrays.stream(sorted).boxed().toList();
    }

    /** Whether no CPU is isolated in any way. */
    public boolean isEmpty() {
        return domain.isEmpty() && nohzFull.isEmpty() && managedIrq.isEmpty();
    }

    /** Whether the OS CPU is isolated in any of the three ways. */
    public boolean isolates(int cpu) {
        return contains(domain, cpu) || contains(nohzFull, cpu) || contains(managedIrq, cpu);
    }

    /** How the OS CPU is isolated, in the kernel's words ({@code isolated}, {@code nohz_full}, {@code managed_irq}); empty when it is not. */
    public List<String> ways(int cpu) {
        return Stream.of(contains(domain, cpu) ? "isolated" : null, contains(nohzFull, cpu) ? "nohz_full" : null,
                contains(managedIrq, cpu) ? "managed_irq" : null).filter(Objects::nonNull).toList();
    }

    private static boolean contains(List<Integer> sorted, int cpu) {
        return Collections.binarySearch(sorted, cpu) >= 0;
    }
}

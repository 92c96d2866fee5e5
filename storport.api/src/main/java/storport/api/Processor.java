package storport.api;

/**
 * One active logical processor.
 *
 * @param index     the system-wide processor index, {@code 0..n-1}
 * @param number    its {@code PROCESSOR_NUMBER}
 * @param node      its NUMA node
 * @param packageId its physical package (socket)
 * @param core      its core id inside the package; SMT siblings share package and core
 * @param cpu       the OS CPU number (Linux {@code cpuN}); differs from the index when groups reorder nodes
 */
public record Processor(int index, ProcessorNumber number, int node, int packageId, int core, int cpu) {
}

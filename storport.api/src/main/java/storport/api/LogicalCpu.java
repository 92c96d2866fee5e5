package storport.api;

/**
 * An online OS CPU as a platform describes it, before processor groups are assigned.
 *
 * @param cpu       the OS CPU number
 * @param node      its NUMA node ({@code >= 0})
 * @param packageId its physical package
 * @param core      its core id inside the package
 */
public record LogicalCpu(int cpu, int node, int packageId, int core) {
}

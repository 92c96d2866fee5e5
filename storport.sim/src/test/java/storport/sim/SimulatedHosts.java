package storport.sim;

import java.util.List;

import storport.api.Host;
import storport.api.sim.SimulatedAdapter;

/**
 * A fixture for code outside the bundle (the benchmarks, through this module's test jar): a
 * {@link Host} snapshot built exactly as the simulator builds it, without a framework.
 */
public final class SimulatedHosts {
    private SimulatedHosts() {
    }

    /** The simulator's snapshot of a host spec (hwloc synthetic syntax) with these adapters. */
    public static Host build(String hostSpec, List<SimulatedAdapter> adapters) {
        return SimHostFactory.build(hostSpec, adapters);
    }
}

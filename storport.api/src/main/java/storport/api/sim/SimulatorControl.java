package storport.api.sim;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import storport.api.StorPortException;

/**
 * Configures the simulated host. Every change is validated first: an invalid one throws
 * {@link StorPortException} (INVALID_PARAMETER) with the reason and changes nothing; a valid one
 * is persisted and serves at once.
 */
@ProviderType
public interface SimulatorControl {

    /** The policies a simulated adapter can use. */
    List<String> policies();

    /** The topology in hwloc synthetic syntax, e.g. {@code package:2 node:1 core:20 pu:2}. */
    String hostSpec();

    /** Sets the topology. Refused when it is malformed, exceeds 8,192 processors, or an adapter would no longer fit it. Ends a replay. */
    void setHost(String spec);

    /**
     * Serves a captured real host (a {@link HostCapture} file): its topology and adapters,
     * answering exactly as the host did, until {@link #setHost(String)} returns to the synthetic
     * host and its adapters. The capture is kept with the simulator's state, so the replay survives
     * a restart.
     *
     * @param name    a name for the replayed host, e.g. {@code prod-db-7}
     * @return a one-line summary of what is served
     * @throws StorPortException INVALID_PARAMETER for a missing, corrupt or foreign file, with the reason
     */
    String replay(String name, java.nio.file.Path capture);

    /** The name of the replayed host, or null while the synthetic host serves. */
    String replaying();

    /** The simulated adapters, by name. */
    List<SimulatedAdapter> adapters();

    /** Creates or replaces the adapter of that name. */
    void putAdapter(SimulatedAdapter adapter);

    /** Removes an adapter; refused when there is none of that name. */
    void removeAdapter(String name);
}

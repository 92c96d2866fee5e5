package storport.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

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

    /** Sets the topology. Refused when it is malformed, exceeds 8,192 processors, or an adapter would no longer fit it. */
    void setHost(String spec);

    /** The simulated adapters, by name. */
    List<SimulatedAdapter> adapters();

    /** Creates or replaces the adapter of that name. */
    void putAdapter(SimulatedAdapter adapter);

    /** Removes an adapter; refused when there is none of that name. */
    void removeAdapter(String name);
}

package storport.api.fleet;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The hosts a console holds, from the broker's retained state and what arrived since. Registered
 * once the retained state of every host has arrived (or the broker could not be reached: then
 * {@link #connection()} says why), so a one-shot run that waits for it sees the whole fleet.
 */
@ProviderType
public interface Fleet {
    /** Backend name prefix of a fleet host: {@code host:db-17}. */
    String BACKEND_PREFIX = "host:";

    /** Every host seen, sorted by name; an immutable list of immutable values. */
    List<FleetHost> hosts();

    /** The broker as this console sees it, e.g. {@code connected to ssl://broker:8883} or why it is not. */
    String connection();

    /** Whether the broker connection is up now. */
    boolean connected();
}

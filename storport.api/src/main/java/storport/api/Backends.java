package storport.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which backend answers: the persisted choice and the switch.
 *
 * <p>The choice is one persisted setting. The chosen backend gets the highest service ranking, so
 * consumers holding a dynamic greedy reference to {@link StorPort} rebind to it (the new service
 * is bound before the old one is unbound). When the chosen backend goes away, consumers fall over
 * to the next registered one and come back when it returns.
 */
@ProviderType
public interface Backends {

    /** Every backend seen since start or persisted as the choice, by name. */
    List<BackendInfo> backends();

    /** The backend consumers are bound to now (the highest ranked registered one), or the empty string if none is registered. */
    String active();

    /** The persisted choice. */
    String preferred();

    /**
     * Makes {@code name} the persisted choice and switches consumers to it.
     *
     * @throws StorPortException INVALID_PARAMETER if no backend of that name is registered
     */
    void select(String name);
}

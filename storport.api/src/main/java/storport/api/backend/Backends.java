package storport.api.backend;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import storport.api.StorPortException;

/**
 * Which backend answers: the persisted choice and the switch.
 *
 * <p>The choice is one persisted setting. Consumers bind the selector's {@link StorPort} service
 * (the highest ranked one, without a {@value StorPort#BACKEND} property), which answers from the
 * chosen backend and switches in memory, so a switch needs no rebinding. When the chosen backend
 * goes away, it answers from the next registered one and comes back when the chosen one returns.
 */
@ProviderType
public interface Backends {

    /** Every backend seen since start or persisted as the choice, by name. */
    List<BackendInfo> backends();

    /** The backend consumers are answered from now, or the empty string if none is registered. */
    String active();

    /** The persisted choice. */
    String preferred();

    /**
     * Makes {@code name} the persisted choice and switches consumers to it: when it returns, the
     * next call of every consumer of the selector's {@link StorPort} service answers from it (they
     * do from the in-memory switch on, before the choice is written), and the choice is persisted.
     *
     * @throws StorPortException INVALID_PARAMETER if no backend of that name is registered;
     *         UNSUCCESSFUL if the choice could not be persisted (the switch holds for this run)
     */
    void select(String name);
}

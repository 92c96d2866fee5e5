package storport.api.fleet;

import java.time.Instant;
import java.util.Map;

/**
 * One host of the fleet as the console last heard of it.
 *
 * @param host     the host's name in its topics ({@code storport/v1/hosts/<host>/...})
 * @param online   its status topic says {@code online} (its MQTT will sets {@code offline})
 * @param lastSeen when its agent last published (the time in its state), or null if never
 * @param backend  the backend its agent reported from (e.g. {@code native}), or the empty string
 * @param adapters adapters in its latest snapshot (-1 before a snapshot arrived)
 * @param findings findings of its latest snapshot by severity ({@code error}, {@code warning}, {@code info})
 * @param codes    findings of its latest snapshot by code ({@code cross-node}, ...), for filtering
 * @param refused  why its last snapshot was refused (its previous one keeps serving), or the empty string
 */
public record FleetHost(String host, boolean online, Instant lastSeen, String backend, int adapters, Map<String, Integer> findings,
        Map<String, Integer> codes, String refused) {
    public FleetHost {
        findings = Map.copyOf(findings);
        codes = Map.copyOf(codes);
    }

    /** The read-only backend that answers for this host: {@code host:<host>}. */
    public String backendName() {
        return Fleet.BACKEND_PREFIX + host;
    }
}

package storport.console;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.backend.BackendInfo;
import storport.api.backend.Backends;
import storport.api.Host;
import storport.api.StorPort;

/**
 * A version number that changes whenever what the console shows may have changed: a backend
 * swap, a new host snapshot, a change in the backends' states, or any configuration change. Open
 * pages poll it (a cheap call) and reload their data when it moves.
 */
@Component(service = { ChangeTracker.class, ConfigurationListener.class })
public class ChangeTracker implements ConfigurationListener {

    /** What the last look saw; the snapshot is compared by identity (a backend publishes a new one per change). */
    private record Seen(Host host, List<BackendInfo> backends, long version) {
    }

    /** Starts from the clock, so a page never mistakes a restarted product's numbers for its own. */
    private final AtomicReference<Seen> seen = new AtomicReference<>(new Seen(null, List.of(), System.currentTimeMillis()));

    private volatile StorPort storport;
    private volatile Backends backends;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindStorport(StorPort s) {
        storport = s;
        bump();
    }

    void unbindStorport(StorPort s) {
        if (storport == s) {
            storport = null;
        }
        bump();
    }

    void updatedStorport(StorPort s) {
        bump();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindBackends(Backends b) {
        backends = b;
        bump();
    }

    void unbindBackends(Backends b) {
        if (backends == b) {
            backends = null;
        }
        bump();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        bump();
    }

    /** The current version: moves when anything the console shows has changed since the last call. */
    long version() {
        StorPort s = storport;
        Host host = null;
        if (s != null) {
            try {
                host = s.host();
            } catch (RuntimeException e) {
                host = null; // a backend going away: the unbind bumps anyway
            }
        }
        Backends b = backends;
        List<BackendInfo> infos = List.of();
        if (b != null) {
            try {
                infos = b.backends();
            } catch (RuntimeException e) {
                infos = List.of();
            }
        }
        while (true) {
            Seen current = seen.get();
            if (current.host() == host && Objects.equals(current.backends(), infos)) {
                return current.version();
            }
            Seen next = new Seen(host, infos, current.version() + 1);
            if (seen.compareAndSet(current, next)) {
                return next.version();
            }
        }
    }

    void bump() {
        seen.updateAndGet(s -> new Seen(s.host(), s.backends(), s.version() + 1));
    }
}

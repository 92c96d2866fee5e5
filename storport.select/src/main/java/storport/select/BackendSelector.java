package storport.select;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import storport.api.BackendInfo;
import storport.api.BackendStatus;
import storport.api.Backends;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;

/**
 * Keeps the persisted choice of backend and projects it onto service rankings: the chosen
 * backend's ranking configuration ({@code storport.backend.<name>}) gets {@link #ACTIVE_RANKING},
 * every other known backend 0. Consumers with dynamic greedy references follow the ranking, so a
 * switch binds the new backend before the old one is unbound, and a backend that goes away leaves
 * consumers on the next one.
 */
@Component(configurationPid = BackendSelector.PID)
@Designate(ocd = BackendSelector.Config.class)
public class BackendSelector implements Backends {
    static final String PID = "storport.backends";
    static final int ACTIVE_RANKING = 1000;
    private static final long SWITCH_TIMEOUT_MS = 10_000;

    @ObjectClassDefinition(id = PID, name = "storport backend",
            description = "Which backend answers the StorPort questions. Consumers switch at once; the choice persists.")
    @interface Config {
        @AttributeDefinition(name = "Active backend", description = "Backend name, e.g. sim or native")
        String active() default "sim";
    }

    @Reference
    private ConfigurationAdmin configurationAdmin;
    @Reference
    private DeliveryBarrier barrier;
    private BundleContext context;
    /** Backends seen since start: name -> number of registered services with that name. */
    private final Map<String, Integer> registered = new ConcurrentHashMap<>();
    private volatile String preferred;

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        this.preferred = config.active();
        project();
    }

    @Modified
    void modified(Config config) {
        preferred = config.active();
        project();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBackend(ServiceReference<StorPort> ref) {
        String name = nameOf(ref);
        if (name != null) {
            registered.merge(name, 1, Integer::sum);
            if (preferred != null) {
                project(); // a backend seen for the first time gets its ranking
            }
        }
    }

    void removeBackend(ServiceReference<StorPort> ref) {
        String name = nameOf(ref);
        if (name != null) {
            registered.merge(name, -1, Integer::sum);
        }
    }

    /** Backends that report whether they can answer here: name -> status. */
    private final Map<String, BackendStatus> statuses = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addStatus(BackendStatus status) {
        statuses.put(status.backend(), status);
    }

    void removeStatus(BackendStatus status) {
        statuses.remove(status.backend(), status);
    }

    @Override
    public List<BackendInfo> backends() {
        String active = active();
        TreeSet<String> names = new TreeSet<>(registered.keySet());
        names.addAll(statuses.keySet());
        names.add(preferred);
        List<BackendInfo> out = new ArrayList<>();
        for (String name : names) {
            BackendStatus status = statuses.get(name);
            String reason = status == null ? null : status.unavailableReason();
            boolean available = reason == null && countRegistered(name) > 0;
            if (reason == null && !available) {
                reason = "not registered";
            }
            out.add(new BackendInfo(name, available, available ? "" : reason, name.equals(active), name.equals(preferred)));
        }
        return List.copyOf(out);
    }

    @Override
    public String active() {
        ServiceReference<StorPort> top = context.getServiceReference(StorPort.class);
        String name = top == null ? null : nameOf(top);
        return name == null ? "" : name;
    }

    @Override
    public String preferred() {
        return preferred;
    }

    @Override
    public void select(String name) {
        if (name == null || name.isBlank()) {
            throw StorPortException.invalidParameter("no backend given");
        }
        synchronized (this) {
            if (countRegistered(name) == 0) {
                BackendStatus status = statuses.get(name);
                String reason = status == null ? null : status.unavailableReason();
                String why = reason != null ? "backend '" + name + "' is unavailable: " + reason
                        : registered.containsKey(name) || name.equals(preferred) ? "backend '" + name + "' is not registered now"
                        : "unknown backend '" + name + "'";
                throw StorPortException.invalidParameter(why + " (available: " + String.join(", ", new TreeSet<>(availableNames())) + ")");
            }
            try {
                Configuration c = configurationAdmin.getConfiguration(PID, "?");
                Dictionary<String, Object> props = new Hashtable<>();
                props.put("active", name);
                c.updateIfDifferent(props);
            } catch (IOException e) {
                throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot persist the backend choice: " + e.getMessage());
            }
            preferred = name;
            project();
        }
        // Not under the lock: Config Admin delivers the rankings on its own threads, which may need it.
        awaitActive(name);
        try {
            if (!barrier.await(SWITCH_TIMEOUT_MS)) {
                throw new StorPortException(StorStatus.BUSY, "backend " + name + " is active, but Config Admin did not confirm"
                        + " within " + SWITCH_TIMEOUT_MS + " ms that every consumer has switched");
            }
        } catch (IOException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot confirm the switch: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes each known backend's ranking configuration: the chosen one first, so there is never a gap. */
    private synchronized void project() {
        String chosen = preferred;
        rank(chosen, ACTIVE_RANKING);
        for (String name : registered.keySet()) {
            if (!name.equals(chosen)) {
                rank(name, 0);
            }
        }
    }

    private void rank(String name, int ranking) {
        try {
            Configuration c = configurationAdmin.getConfiguration(StorPort.RANKING_PID_PREFIX + name, "?");
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(Constants.SERVICE_RANKING, ranking);
            c.updateIfDifferent(props);
        } catch (IOException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL,
                    "cannot write the ranking of backend " + name + ": " + e.getMessage());
        }
    }

    /** SCR applies ranking configurations asynchronously; a switch returns once consumers see it. */
    private void awaitActive(String name) {
        long deadline = System.nanoTime() + SWITCH_TIMEOUT_MS * 1_000_000;
        while (!name.equals(active())) {
            // a ranking change re-registers the backend, so it may be briefly absent here
            if (System.nanoTime() > deadline) {
                throw new StorPortException(StorStatus.BUSY, "backend " + name
                        + " is chosen but did not take over within " + SWITCH_TIMEOUT_MS + " ms");
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private int countRegistered(String name) {
        return registered.getOrDefault(name, 0);
    }

    private List<String> availableNames() {
        return registered.keySet().stream().filter(n -> countRegistered(n) > 0).toList();
    }

    private static String nameOf(ServiceReference<?> ref) {
        Object v = ref.getProperty(StorPort.BACKEND);
        return v instanceof String s && !s.isBlank() ? s : null;
    }

    @Override
    public String toString() {
        return "BackendSelector[preferred=" + Objects.toString(preferred) + "]";
    }
}

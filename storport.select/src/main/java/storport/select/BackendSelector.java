package storport.select;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import storport.api.backend.BackendInfo;
import storport.api.backend.BackendStatus;
import storport.api.backend.Backends;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;

/**
 * Keeps the persisted choice of backend and switches consumers: the switch is in memory, in
 * {@link Dispatch} (the {@link StorPort} service consumers are bound to), and the choice is one
 * Config Admin configuration ({@value #PID}) written right after it, on a writer thread of its own.
 *
 * <p>Every consumer answers from the new backend from the moment of the in-memory switch; the disk
 * is not on that path. {@link #select} still returns only once the choice is written, so a choice a
 * user was told about survives a crash right after. Switches made while a write runs share the next
 * write, which always writes the latest choice. Config Admin writes a complete new file and renames
 * it into place ({@link CrashSafeConfigStore} finishes a rename that a crash interrupted), so a
 * crash leaves the old or the new choice. A write that fails is reported by that {@link #select}
 * (the switch stands for this run) and retried by the next one, which does not switch if it fails
 * again.
 *
 * <p>A change made straight in Config Admin (a management console) arrives through
 * {@link #modified}. It is applied from what is persisted when it arrives, never from the delivered
 * value, which may be older than a switch made meanwhile; while a write of ours is pending it is
 * ignored, since that write is newer and its own delivery follows.
 */
@Component(configurationPid = BackendSelector.PID, immediate = true, service = Backends.class)
@Designate(ocd = BackendSelector.Config.class)
public class BackendSelector implements Backends {
    static final String PID = "storport.backends";
    /** The choice when none is persisted. */
    static final String DEFAULT_BACKEND = "sim";
    private static final long SWITCH_TIMEOUT_MS = 10_000;

    @ObjectClassDefinition(id = PID, name = "storport backend",
            description = "Which backend answers the StorPort questions. Consumers switch at once; the choice persists.")
    @interface Config {
        @AttributeDefinition(name = "Active backend", description = "Backend name, e.g. sim or native")
        String active() default DEFAULT_BACKEND;
    }

    @Reference
    ConfigurationAdmin configurationAdmin;
    /** Present while at least one backend is registered. */
    private volatile Dispatch dispatch;
    /** Backends seen since start: name -> number of registered services with that name. */
    private final Map<String, Integer> registered = new ConcurrentHashMap<>();
    /** Backends that report whether they can answer here: name -> status. */
    private final Map<String, BackendStatus> statuses = new ConcurrentHashMap<>();
    /** Written under this object's lock. */
    private volatile String preferred;
    /** One thread, so writes happen in order; off the path of {@link #select}. */
    private ExecutorService writer;
    /** Guarded by this: the queued write that has not yet taken the choice to write (at most one waits), or null. */
    private Future<?> queuedWrite;
    /** Guarded by this: writes queued or running. */
    private int pendingWrites;
    /** Guarded by this: why the last write failed, or null. */
    private String writeFailure;

    @Activate
    synchronized void activate(Config config) {
        writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "storport-backend-choice");
            t.setDaemon(true);
            return t;
        });
        // what is persisted, not what was delivered: Config Admin may not have delivered it yet (the
        // default "sim" then), and readiness (the one-shot runner's) is this choice answering
        apply(persistedChoice(config.active()));
    }

    /** Writes a pending choice before Config Admin (a static reference) can go away. */
    @Deactivate
    void deactivate() {
        ExecutorService w;
        synchronized (this) {
            w = writer;
        }
        w.shutdown();
        try {
            w.awaitTermination(SWITCH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Modified
    synchronized void modified(Config config) {
        if (pendingWrites == 0) {
            apply(persistedChoice(config.active()));
        }
    }

    /** Waits until every write queued so far is done; for tests. */
    boolean awaitWrites(long timeoutMs) throws Exception {
        ExecutorService w;
        synchronized (this) {
            w = writer;
        }
        w.submit(() -> { }).get(timeoutMs, TimeUnit.MILLISECONDS);
        return true;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindDispatch(Dispatch d) {
        if (preferred != null) {
            d.prefer(preferred);
        }
        dispatch = d;
    }

    synchronized void unbindDispatch(Dispatch d) {
        if (dispatch == d) {
            dispatch = null;
        }
    }

    /** Guarded by this: the in-memory choice and the switch. */
    private void apply(String name) {
        preferred = name;
        Dispatch d = dispatch;
        if (d != null) {
            d.prefer(name);
        }
    }

    /** What Config Admin holds now; {@code fallback} (the default) when the configuration is gone. */
    private String persistedChoice(String fallback) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + PID + ")");
            Object v = found == null || found[0].getProperties() == null ? null : found[0].getProperties().get("active");
            return v instanceof String s && !s.isBlank() ? s : fallback;
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            return fallback;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, target = "(" + StorPort.BACKEND + "=*)")
    void addBackend(ServiceReference<StorPort> ref) {
        String name = nameOf(ref);
        if (name != null) {
            registered.merge(name, 1, Integer::sum);
        }
    }

    void removeBackend(ServiceReference<StorPort> ref) {
        String name = nameOf(ref);
        if (name != null) {
            registered.merge(name, -1, Integer::sum);
        }
    }

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
        Dispatch d = dispatch;
        return d == null ? "" : d.activeName();
    }

    @Override
    public String preferred() {
        return preferred;
    }

    @Override
    public void select(String name) {
        Future<?> written;
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
            if (writeFailure != null) {
                // the last write failed: retry it here, so that the failure reaches a caller
                try {
                    write(preferred);
                    writeFailure = null;
                } catch (IOException | RuntimeException e) {
                    writeFailure = String.valueOf(e.getMessage());
                    throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot persist the backend choice: " + writeFailure
                            + " (backend " + preferred + " stays active, chosen for this run only)");
                }
            }
            apply(name);
            if (queuedWrite == null) { // else the queued write will take this choice
                pendingWrites++;
                try {
                    queuedWrite = writer.submit(this::writeLatest);
                } catch (RejectedExecutionException stopping) {
                    writeLatest(); // deactivating: write here
                }
            }
            written = queuedWrite;
        }
        if (!name.equals(active())) {
            awaitActive(name);
        }
        awaitWritten(name, written);
    }

    /** Returns once the write that takes this switch's choice is done; reports its failure. */
    private void awaitWritten(String name, Future<?> written) {
        if (written != null) {
            try {
                written.get(SWITCH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | CancellationException e) {
                throw new StorPortException(StorStatus.BUSY, "backend " + name
                        + " answers now, but writing the choice did not finish within " + SWITCH_TIMEOUT_MS + " ms");
            }
        }
        synchronized (this) {
            if (writeFailure != null) {
                throw new StorPortException(StorStatus.UNSUCCESSFUL, "backend " + preferred
                        + " answers now, but the choice could not be persisted: " + writeFailure + " (it holds for this run only)");
            }
        }
    }

    /** The writer's task: persists the latest choice, whichever select queued it; switches meanwhile share one write. */
    private void writeLatest() {
        String name;
        synchronized (this) {
            queuedWrite = null;
            name = preferred;
        }
        String failure = null;
        try {
            write(name);
        } catch (IOException | RuntimeException e) {
            failure = String.valueOf(e.getMessage());
        }
        synchronized (this) {
            pendingWrites = Math.max(0, pendingWrites - 1);
            writeFailure = failure;
        }
    }

    /** The one persisted write of a switch; none when the choice is already persisted. */
    private void write(String name) throws IOException {
        Configuration c = configurationAdmin.getConfiguration(PID, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("active", name);
        c.updateIfDifferent(props);
    }

    /**
     * Only right after start, before the dispatch has bound the backend that was just registered:
     * the switch itself is synchronous.
     */
    private void awaitActive(String name) {
        long deadline = System.nanoTime() + SWITCH_TIMEOUT_MS * 1_000_000;
        while (!name.equals(active())) {
            if (System.nanoTime() > deadline) {
                throw new StorPortException(StorStatus.BUSY, "backend " + name
                        + " is chosen but did not take over within " + SWITCH_TIMEOUT_MS + " ms");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Dispatch d = dispatch;
            if (d != null) {
                synchronized (this) {
                    if (name.equals(preferred)) {
                        d.prefer(name);
                    }
                }
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

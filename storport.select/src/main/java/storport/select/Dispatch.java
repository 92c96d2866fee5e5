package storport.select;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import storport.api.AdapterHandle;
import storport.api.AffinityHolder;
import storport.api.Holder;
import storport.api.Host;
import storport.api.InterruptCounts;
import storport.api.MessageInterrupt;
import storport.api.StorPort;
import storport.api.ULongHolder;

/**
 * The {@link StorPort} service consumers bind: it answers from the chosen backend and switches in
 * memory, one volatile write, so a switch needs no service event and no rebinding.
 *
 * <p>Registered with the highest ranking and without a {@value StorPort#BACKEND} property (so it
 * never counts as a backend), and only while at least one backend is registered, so consumers see
 * no {@code StorPort} exactly when there is no backend, as they would without it. It answers from
 * the preferred backend when that is registered, otherwise from the highest ranked one, and goes
 * back to the preferred one when it returns. Felix SCR rebinds a greedy reference only on a new
 * registration, never on a ranking change, which is why switching here beats re-ranking backends.
 */
@Component(service = {StorPort.class, Dispatch.class}, property = Constants.SERVICE_RANKING + ":Integer=" + Integer.MAX_VALUE)
public class Dispatch implements StorPort {

    /** A registered backend. */
    private record Backend(ServiceReference<StorPort> ref, String name, StorPort service) {
    }

    /** Registered backends; guarded by this. */
    private final List<Backend> backends = new ArrayList<>();
    /** Guarded by this. */
    private String preferred;
    /** The backend answering now; written with {@link #target}. */
    private volatile Backend active;
    /**
     * The active backend's service, apart from {@link #active} to save the hot path one load.
     * Never reset to null: a call that read it just before its backend went away still gets an
     * answer from it, as from a service object a consumer still holds.
     */
    private volatile StorPort target;

    /**
     * Starts from the persisted choice, read here rather than delivered as this component's
     * configuration: a delivery would come after later switches, and would change this service's
     * properties (an event for every consumer) on every switch. Later changes come from the
     * selector, through {@link #prefer}.
     */
    @Activate
    public Dispatch(@Reference ConfigurationAdmin configurationAdmin) {
        this(persistedChoice(configurationAdmin));
    }

    Dispatch(String preferred) {
        this.preferred = preferred;
    }

    private static String persistedChoice(ConfigurationAdmin configurationAdmin) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + BackendSelector.PID + ")");
            Object v = found == null || found[0].getProperties() == null ? null : found[0].getProperties().get("active");
            return v instanceof String s && !s.isBlank() ? s : BackendSelector.DEFAULT_BACKEND;
        } catch (IOException | InvalidSyntaxException e) {
            return BackendSelector.DEFAULT_BACKEND; // the selector's own reading pushes the choice when it binds this
        }
    }

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + StorPort.BACKEND + "=*)")
    synchronized void addBackend(ServiceReference<StorPort> ref, StorPort service) {
        backends.add(new Backend(ref, String.valueOf(ref.getProperty(StorPort.BACKEND)), service));
        choose();
    }

    synchronized void removeBackend(ServiceReference<StorPort> ref) {
        backends.removeIf(b -> b.ref().equals(ref));
        choose();
    }

    /** Makes {@code name} the preferred backend and answers from it if it is registered. */
    synchronized void prefer(String name) {
        preferred = name;
        choose();
    }

    /** The backend answering now, or the empty string before the first one. */
    String activeName() {
        Backend b = active;
        return b == null ? "" : b.name();
    }

    /** The preferred backend if registered, else the highest ranked (ServiceReference order); unchanged when none is left. */
    private void choose() {
        Backend best = null;
        for (Backend b : backends) {
            boolean bPreferred = b.name().equals(preferred);
            boolean bestPreferred = best != null && best.name().equals(preferred);
            if (best == null || bPreferred && !bestPreferred || bPreferred == bestPreferred && b.ref().compareTo(best.ref()) > 0) {
                best = b;
            }
        }
        if (best != null && best != active) {
            target = best.service();
            active = best;
        }
    }

    private StorPort target() {
        return target;
    }

    // Every call goes to the active backend's own method, so a backend's overrides still apply.
    // adapter(String) is deliberately not delegated: the default handle reads this.host() on every
    // call and so follows backend switches as well as snapshots.

    @Override
    public String backend() {
        return target().backend();
    }

    @Override
    public Host host() {
        return target().host();
    }

    @Override
    public Host refresh() {
        return target().refresh();
    }

    @Override
    public InterruptCounts interruptCounts(String adapter) {
        return target().interruptCounts(adapter);
    }

    @Override
    public int getMessageInterruptIdFromProcessorIndex(String adapter, int processorIndex, ULongHolder messageInterruptId) {
        return target().getMessageInterruptIdFromProcessorIndex(adapter, processorIndex, messageInterruptId);
    }

    @Override
    public int messageInterruptId(String adapter, long processorIndex) {
        return target().messageInterruptId(adapter, processorIndex);
    }

    @Override
    public AdapterHandle adapter(String idOrAlias) {
        return StorPort.super.adapter(idOrAlias);
    }

    @Override
    public int getMSIInfo(String adapter, int messageId, Holder<MessageInterrupt> info) {
        return target().getMSIInfo(adapter, messageId, info);
    }

    @Override
    public int getProcessorCount(ULongHolder count) {
        return target().getProcessorCount(count);
    }

    @Override
    public int getActiveGroupCount(ULongHolder count) {
        return target().getActiveGroupCount(count);
    }

    @Override
    public int getGroupAffinity(int group, AffinityHolder affinity) {
        return target().getGroupAffinity(group, affinity);
    }

    @Override
    public int getActiveNodeCount(ULongHolder count) {
        return target().getActiveNodeCount(count);
    }

    @Override
    public int getNodeAffinity(int node, AffinityHolder affinity) {
        return target().getNodeAffinity(node, affinity);
    }

    @Override
    public int getHighestNodeNumber(ULongHolder node) {
        return target().getHighestNodeNumber(node);
    }

    @Override
    public String toString() {
        return "Dispatch[active=" + activeName() + "]";
    }
}

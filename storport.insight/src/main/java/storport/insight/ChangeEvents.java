package storport.insight;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.StorPort;
import storport.view.Findings;
import storport.view.FindingsCache;

/**
 * Says on OSGi Event Admin what changed in the snapshot consumers are answered from: a backend
 * switch, a new snapshot (which adapters changed), findings raised and cleared. Any
 * {@code EventHandler} and Karaf's {@code event:tail} see them. Topics and properties:
 * <ul>
 * <li>{@value #SWITCHED}: {@code backend}, {@code previous}</li>
 * <li>{@value #SNAPSHOT}: {@code backend}, {@code adapters} (the ids of the adapters new, gone or changed)</li>
 * <li>{@value #RAISED} and {@value #CLEARED}: {@code backend}, {@code code}, {@code severity},
 * {@code adapter}, {@code messages}, {@code processors} (int arrays), {@code text}</li>
 * </ul>
 *
 * <p>Why a look at an interval rather than a callback: every backend publishes a new immutable
 * snapshot per change (the simulator on configuration, native after its change check), and the
 * selector's service answers from whichever is active; comparing the snapshot's identity costs a
 * volatile read and no allocation while nothing changes. The first look raises the findings
 * present at start, so a handler learns the state it joins.
 */
@Component(immediate = true, configurationPid = ChangeEvents.PID)
@Designate(ocd = ChangeEvents.Config.class)
public class ChangeEvents {
    static final String PID = "storport.events";
    public static final String SWITCHED = "storport/backend/SWITCHED";
    public static final String SNAPSHOT = "storport/snapshot/CHANGED";
    public static final String RAISED = "storport/finding/RAISED";
    public static final String CLEARED = "storport/finding/CLEARED";

    @ObjectClassDefinition(name = "storport change events", description = "Posts backend switches, new snapshots and findings raised or cleared on Event Admin.")
    @interface Config {
        @AttributeDefinition(name = "Interval (ms)", min = "50", description = "How often to look whether the active snapshot changed")
        long intervalMillis() default 1000;
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile StorPort storport;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    private final FindingsCache findings = new FindingsCache();
    private ScheduledExecutorService timer;
    /** What the last look saw; touched by the timer thread only. */
    private Host seen;
    private Map<String, Findings.Finding> raised = Map.of();

    @Activate
    @Modified
    synchronized void configure(Config config) {
        if (timer != null) {
            timer.shutdownNow();
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "storport-events");
            t.setDaemon(true);
            return t;
        });
        long interval = Math.max(50, config.intervalMillis());
        timer.scheduleWithFixedDelay(this::look, 0, interval, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    synchronized void deactivate() {
        timer.shutdownNow();
    }

    /** One look: events for whatever changed since the last. */
    private void look() {
        try {
            StorPort s = storport;
            EventAdmin events = eventAdmin;
            Host host = s == null ? null : s.host();
            if (host == null || host == seen || events == null) {
                return;
            }
            Host previous = seen;
            seen = host;
            if (previous != null && !previous.backend().equals(host.backend())) {
                events.postEvent(new Event(SWITCHED, Map.of("backend", host.backend(), "previous", previous.backend())));
            } else if (previous != null) {
                List<String> changed = changedAdapters(previous, host);
                if (!changed.isEmpty()) {
                    events.postEvent(new Event(SNAPSHOT, Map.of("backend", host.backend(), "adapters", changed.toArray(new String[0]))));
                }
            }
            Map<String, Findings.Finding> now = new LinkedHashMap<>();
            for (Findings.Finding f : findings.of(host)) {
                now.put(key(f), f);
            }
            for (Map.Entry<String, Findings.Finding> e : raised.entrySet()) {
                if (!now.containsKey(e.getKey())) {
                    events.postEvent(finding(CLEARED, host, e.getValue()));
                }
            }
            for (Map.Entry<String, Findings.Finding> e : now.entrySet()) {
                if (!raised.containsKey(e.getKey())) {
                    events.postEvent(finding(RAISED, host, e.getValue()));
                }
            }
            raised = now;
        } catch (RuntimeException e) {
            // a backend going away mid-look: the next look sees the one that answers then
        }
    }

    /** The ids of the adapters new, gone or answering differently, ascending. */
    static List<String> changedAdapters(Host before, Host after) {
        boolean sameProcessors = before.topology().processors().equals(after.topology().processors());
        Map<String, Adapter> was = new HashMap<>();
        before.adapters().forEach(a -> was.put(a.id(), a));
        TreeSet<String> changed = new TreeSet<>();
        for (Adapter a : after.adapters()) {
            Adapter b = was.remove(a.id());
            if (b == null || !sameProcessors || !same(a, b, after.topology().processorCount())) {
                changed.add(a.id());
            }
        }
        changed.addAll(was.keySet());
        return new ArrayList<>(changed);
    }

    private static boolean same(Adapter a, Adapter b, int processors) {
        if (a == b) {
            return true;
        }
        if (!a.messages().equals(b.messages()) || !a.aliases().equals(b.aliases()) || !Objects.equals(a.unavailableReason(), b.unavailableReason())) {
            return false;
        }
        for (int p = 0; p < processors; p++) {
            if (a.messageOf(p) != b.messageOf(p)) {
                return false;
            }
        }
        return true;
    }

    private static String key(Findings.Finding f) {
        return f.code() + " " + f.adapter() + " " + f.messages() + " " + f.processors();
    }

    private static Event finding(String topic, Host host, Findings.Finding f) {
        Map<String, Object> p = new HashMap<>();
        p.put("backend", host.backend());
        p.put("code", f.code());
        p.put("severity", f.severity().word());
        p.put("adapter", f.adapter());
        p.put("messages", f.messages().stream().mapToInt(Integer::intValue).toArray());
        p.put("processors", f.processors().stream().mapToInt(Integer::intValue).toArray());
        p.put("text", f.text());
        return new Event(topic, p);
    }
}

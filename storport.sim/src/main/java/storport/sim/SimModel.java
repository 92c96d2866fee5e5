package storport.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import storport.api.Host;
import storport.api.sim.SimulatedAdapter;
import storport.api.sim.SimulatorControl;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.Topology;

/**
 * The simulated host's configuration: kept in Config Admin (so any console can edit it and it
 * persists), validated before it serves, and turned into an immutable {@link Host} snapshot.
 *
 * <p>Changes through {@link SimulatorControl} are validated first and refused with the reason;
 * changes written straight into Config Admin are validated when they arrive, and an invalid one is
 * logged while the last good state keeps serving.
 */
@Component(service = {SimModel.class, SimulatorControl.class, ConfigurationListener.class})
public class SimModel implements SimulatorControl, ConfigurationListener {
    static final String HOST_PID = "storport.sim.host";
    static final String ADAPTER_FACTORY_PID = "storport.sim.adapter";
    static final String DEFAULT_HOST = "package:2 node:1 core:20 pu:2";
    static final List<SimulatedAdapter> DEFAULT_ADAPTERS = List.of(
            new SimulatedAdapter("nvme0", 33, null, "numa-spread", 0, List.of()),
            new SimulatedAdapter("sas0", 16, 0, "round-robin", 1, List.of()));

    private static final Pattern REPLAY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @ObjectClassDefinition(pid = HOST_PID, name = "storport simulated host",
            description = "The topology the simulator serves, in hwloc synthetic syntax.")
    @interface HostConfig {
        @AttributeDefinition(name = "Topology", description = "Levels package, node, core, pu (missing levels count 1), "
                + "e.g. 'package:2 node:1 core:20 pu:2'; at most 8192 processors.")
        String spec() default DEFAULT_HOST;
    }

    @ObjectClassDefinition(factoryPid = ADAPTER_FACTORY_PID, name = "storport simulated adapter",
            description = "A simulated storage adapter with MSI-X messages.")
    @interface AdapterConfig {
        @AttributeDefinition(name = "Name", description = "Adapter id, e.g. nvme0")
        String name();

        @AttributeDefinition(name = "Messages", description = "Granted MSI-X messages, 1..2048", min = "1", max = "2048")
        int messages() default 33;

        @AttributeDefinition(name = "First redirection message",
                description = "First I/O message; -1 for the default (1 when messages > 1, else 0)", min = "-1", max = "2047")
        int first() default -1;

        // free text, not options: win-specified carries its processors (win-specified:0-7)
        @AttributeDefinition(name = "Policy", description = "numa-spread (Linux group_cpus_evenly, Linux 6.11 and later), numa-spread-legacy"
                + " (as Linux 5.4 to 6.8), round-robin, single, explicit (table), managed_irq (numa-spread delivered off isolated CPUs),"
                + " or a Windows IRQ_DEVICE_POLICY: win-machine-default, win-all-close, win-one-close, win-all, win-specified:LIST,"
                + " win-spread, win-all-when-steered")
        String policy() default "numa-spread";

        @AttributeDefinition(name = "NUMA node", description = "Node of the device", min = "0")
        int node() default 0;

        @AttributeDefinition(name = "Table", description = "For policy explicit: message per processor index, comma separated",
                required = false)
        String table() default "";
    }

    /**
     * One consistent state: what is configured and the snapshot built from it. While a capture
     * replays, {@code replay} names it and {@code host} is the captured host; the synthetic
     * configuration stays as it was, for when the replay ends.
     */
    private record State(String hostSpec, Map<String, SimulatedAdapter> adapters, Host host, String replay, String replayFile) {
        State(String hostSpec, Map<String, SimulatedAdapter> adapters, Host host) {
            this(hostSpec, adapters, host, null, null);
        }
    }

    @Reference
    private ConfigurationAdmin configurationAdmin;
    /** The OSGi log (Felix Log in the product): refusals of bad configuration are read there. */
    @Reference(service = LoggerFactory.class)
    private Logger log;
    private volatile State state;
    /** Where replayed captures are kept ({@code $STORPORT_HOME/captures}), or null to keep them where they are. */
    private Path captures;

    @Activate
    synchronized void activate(BundleContext context) {
        String home = context.getProperty("storport.home");
        captures = home == null || home.isBlank() ? null : Path.of(home, "captures");
        try {
            if (configurations("(" + Constants.SERVICE_PID + "=" + HOST_PID + ")").isEmpty()) {
                seedDefaults();
            }
        } catch (IOException e) {
            log.error("storport: cannot write the default simulated host: " + e.getMessage());
        }
        state = new State(DEFAULT_HOST, byName(DEFAULT_ADAPTERS), SimHostFactory.build(DEFAULT_HOST, DEFAULT_ADAPTERS));
        reload();
    }

    /** The snapshot the sim backend serves. */
    Host host() {
        return state.host();
    }

    @Override
    public List<String> policies() {
        return Policy.ids();
    }

    @Override
    public String hostSpec() {
        return state.hostSpec();
    }

    @Override
    public synchronized void setHost(String spec) {
        String normalized = spec == null ? "" : spec.trim().replaceAll("\\s+", " ");
        State now = state;
        Host host = buildExplaining(normalized, now.adapters());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("spec", normalized);
        persist(() -> configurationAdmin.getConfiguration(HOST_PID, "?").update(props));
        state = new State(normalized, now.adapters(), host);
    }

    @Override
    public synchronized String replay(String name, Path capture) {
        if (name == null || !REPLAY_NAME.matcher(name).matches()) {
            throw StorPortException.invalidParameter("replay name '" + name
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        Host host = ReplayHost.read(capture);
        Path kept = keep(name, capture);
        State now = state;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("spec", now.hostSpec());
        props.put("replay", name);
        props.put("replayFile", kept.toString());
        persist(() -> configurationAdmin.getConfiguration(HOST_PID, "?").update(props));
        state = new State(now.hostSpec(), now.adapters(), host, name, kept.toString());
        return "replaying " + name + ": " + host.topology().processorCount() + " processors, " + host.adapters().size()
                + " adapters (" + String.join(", ", host.adapters().stream().map(a -> a.id()).toList()) + ")";
    }

    @Override
    public String replaying() {
        return state.replay();
    }

    /** Copies the capture into the simulator's keeping, so the replay survives the original file. */
    private Path keep(String name, Path capture) {
        if (captures == null) {
            return capture.toAbsolutePath();
        }
        Path kept = captures.resolve(name + ".tar.gz");
        try {
            Files.createDirectories(captures);
            Path tmp = Files.createTempFile(captures, name, ".part");
            Files.copy(capture, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, kept, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return kept;
        } catch (IOException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot keep the capture in " + captures + ": " + e.getMessage());
        }
    }

    private void refuseWhileReplaying() {
        String replay = state.replay();
        if (replay != null) {
            throw StorPortException.invalidParameter("the simulator replays " + replay
                    + "; its adapters are the captured ones. sim-host SPEC returns to the synthetic host first");
        }
    }

    @Override
    public List<SimulatedAdapter> adapters() {
        return List.copyOf(state.adapters().values());
    }

    @Override
    public synchronized void putAdapter(SimulatedAdapter adapter) {
        if (adapter == null) {
            throw StorPortException.invalidParameter("no adapter given");
        }
        refuseWhileReplaying();
        State now = state;
        Map<String, SimulatedAdapter> adapters = new TreeMap<>(now.adapters());
        adapters.put(adapter.name(), adapter);
        Host host = SimHostFactory.build(now.hostSpec(), List.copyOf(adapters.values()));
        persist(() -> configurationAdmin.getFactoryConfiguration(ADAPTER_FACTORY_PID, adapter.name(), "?")
                .update(AdapterProperties.write(adapter)));
        state = new State(now.hostSpec(), adapters, host);
    }

    @Override
    public synchronized void removeAdapter(String name) {
        refuseWhileReplaying();
        State now = state;
        if (name == null || !now.adapters().containsKey(name)) {
            throw StorPortException.invalidParameter("no simulated adapter '" + name + "' (adapters: "
                    + String.join(", ", now.adapters().keySet()) + ")");
        }
        Map<String, SimulatedAdapter> adapters = new TreeMap<>(now.adapters());
        adapters.remove(name);
        Host host = SimHostFactory.build(now.hostSpec(), List.copyOf(adapters.values()));
        persist(() -> {
            for (Configuration c : configurations(adapterFilter())) {
                if (name.equals(AdapterProperties.name(c.getProperties()))) {
                    c.delete();
                }
            }
        });
        state = new State(now.hostSpec(), adapters, host);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (HOST_PID.equals(event.getPid()) || ADAPTER_FACTORY_PID.equals(event.getFactoryPid())) {
            reload();
        }
    }

    /** Rebuilds from Config Admin; whatever is invalid there is logged and its last good version kept. */
    private synchronized void reload() {
        State now = state;
        try {
            String spec = now.hostSpec();
            String replay = null;
            String replayFile = null;
            List<Configuration> hostConfigs = configurations("(" + Constants.SERVICE_PID + "=" + HOST_PID + ")");
            if (!hostConfigs.isEmpty()) {
                Object r = hostConfigs.get(0).getProperties().get("replay");
                Object f = hostConfigs.get(0).getProperties().get("replayFile");
                if (r != null && f != null) {
                    replay = r.toString();
                    replayFile = f.toString();
                }
                Object v = hostConfigs.get(0).getProperties().get("spec");
                String candidate = v == null ? DEFAULT_HOST : v.toString();
                try {
                    TopologySpec.parse(candidate);
                    spec = candidate;
                } catch (StorPortException e) {
                    refused(HOST_PID, e);
                }
            }
            Topology topology = TopologySpec.parse(spec).possible();
            Map<String, SimulatedAdapter> adapters = new TreeMap<>();
            for (Configuration c : configurations(adapterFilter())) {
                try {
                    SimulatedAdapter a = AdapterProperties.read(c.getProperties());
                    SimHostFactory.validate(topology, a);
                    adapters.put(a.name(), a);
                } catch (StorPortException e) {
                    refused(c.getPid(), e);
                    String name = AdapterProperties.name(c.getProperties());
                    if (name != null && now.adapters().containsKey(name)) {
                        adapters.put(name, now.adapters().get(name));
                    }
                }
            }
            Host served;
            if (replay == null) {
                served = SimHostFactory.build(spec, List.copyOf(adapters.values()));
            } else if (replay.equals(now.replay()) && replayFile.equals(now.replayFile())) {
                served = now.host(); // the same capture: no need to read it again
            } else {
                served = ReplayHost.read(Path.of(replayFile));
            }
            state = new State(spec, adapters, served, replay, replayFile);
        } catch (StorPortException e) {
            refused("the simulated host", e);
        } catch (IOException e) {
            log.error("storport: cannot read the simulator's configuration: " + e.getMessage());
        }
    }

    private Host buildExplaining(String spec, Map<String, SimulatedAdapter> adapters) {
        TopologySpec.parse(spec);
        try {
            return SimHostFactory.build(spec, List.copyOf(adapters.values()));
        } catch (StorPortException e) {
            throw StorPortException.invalidParameter("host spec '" + spec + "' does not fit the adapters: " + e.reason()
                    + "; change or remove that adapter first");
        }
    }

    private void seedDefaults() throws IOException {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("spec", DEFAULT_HOST);
        configurationAdmin.getConfiguration(HOST_PID, "?").update(props);
        for (SimulatedAdapter a : DEFAULT_ADAPTERS) {
            configurationAdmin.getFactoryConfiguration(ADAPTER_FACTORY_PID, a.name(), "?").update(AdapterProperties.write(a));
        }
    }

    private List<Configuration> configurations(String filter) throws IOException {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(filter);
            if (found == null) {
                return List.of();
            }
            return new ArrayList<>(Arrays.stream(found).filter(c -> c.getProperties() != null).toList());
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // our own constant filters
        }
    }

    private static String adapterFilter() {
        return "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + ADAPTER_FACTORY_PID + ")";
    }

    private static Map<String, SimulatedAdapter> byName(List<SimulatedAdapter> adapters) {
        Map<String, SimulatedAdapter> m = new TreeMap<>();
        adapters.forEach(a -> m.put(a.name(), a));
        return m;
    }

    private void refused(String what, StorPortException e) {
        log.error("storport: refused configuration of " + what + ": " + e.reason()
                + "; the last good state keeps serving");
    }

    private interface ConfigWrite {
        void run() throws IOException;
    }

    private static void persist(ConfigWrite write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot persist the simulator's configuration: " + e.getMessage());
        }
    }
}

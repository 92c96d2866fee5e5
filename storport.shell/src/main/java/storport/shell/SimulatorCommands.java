package storport.shell;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import storport.api.sim.SimulatedAdapter;
import storport.api.sim.SimulatorControl;
import storport.api.StorPortException;
import storport.view.Documents;
import storport.api.StorStatus;
import storport.view.Bound;

/**
 * {@code sim-host}, {@code sim-adapter}, {@code sim-remove}: configure the simulated backend.
 *
 * <p>Gogo calls the method named like the function, and a Java method cannot be named
 * {@code sim-host}: those functions arrive at {@link #_main(String[])}, which binds the arguments to
 * the typed method from its annotations ({@link CommandLine}). The functions are also registered
 * without the hyphen ({@code simhost}, ...) because Gogo's {@code help} only describes functions
 * that have a method of that exact name.
 */
@Component(service = Object.class, immediate = true)
@GogoCommand(scope = Shell.SCOPE, function = { "sim-host", "sim-adapter", "sim-remove", "sim-replay", "simhost", "simadapter", "simremove",
    "simreplay" })
public class SimulatorCommands {
    /** An option's value when it is not on the line; Gogo's own "no value" marker, never typed by a user. */
    static final String ABSENT = Parameter.UNSPECIFIED;

    static final String DEFAULT_POLICY = "numa-spread";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile SimulatorControl simulator;

    @Descriptor("set the simulated host topology in hwloc synthetic syntax (levels package, node, core, pu), e.g. node:2 core:8 pu:2,"
            + " then optionally the isolated CPUs as Linux states them: isolated:LIST nohz_full:LIST managed_irq:LIST (e.g. isolated:2-3);"
            + " without SPEC print the current one")
    public String simhost(@Descriptor("topology spec; its words may be given quoted or as separate arguments") String... spec) {
        return Shell.result(() -> {
            SimulatorControl sim = simulator();
            // no argument prints the spec; an argument that is empty ("") is an empty spec, which setHost refuses
            if (spec != null && spec.length > 0) {
                sim.setHost(String.join(" ", spec).trim());
            }
            String replay = sim.replaying();
            return (replay == null ? "" : "replaying " + replay + " (sim-host SPEC returns to the synthetic host); synthetic host: ")
                    + sim.hostSpec() + "\n";
        });
    }

    @Descriptor("create or change a simulated adapter; on an existing adapter, options not given keep their values")
    public String simadapter(
            @Descriptor("granted messages, 1..2048 (required for a new adapter)") @Parameter(names = "--messages", absentValue = ABSENT) String messages,
            @Descriptor("first redirection (I/O) message, or 'default' (1 when there are several messages, else 0)") @Parameter(names = "--first", absentValue = ABSENT) String first,
            @Descriptor("processor -> message policy: numa-spread (default; Linux group_cpus_evenly, equal NUMA nodes in the order of Linux 6.11 and later), numa-spread-legacy (the order of Linux 5.4 to 6.8), round-robin, single, explicit,"
                    + " managed_irq (numa-spread delivered off isolated CPUs), or a Windows IRQ_DEVICE_POLICY: win-machine-default, win-all-close, win-one-close, win-all, win-specified:LIST, win-spread, win-all-when-steered") @Parameter(names = "--policy", absentValue = ABSENT) String policy,
            @Descriptor("NUMA node of the device (default 0)") @Parameter(names = "--node", absentValue = ABSENT) String node,
            @Descriptor("for --policy explicit: comma list of message ids, one per processor index") @Parameter(names = "--table", absentValue = ABSENT) String table,
            @Descriptor("adapter name, e.g. nvme0") String name) {
        return Shell.result(() -> {
            SimulatorControl sim = simulator();
            if (name == null || name.isBlank()) {
                throw StorPortException.invalidParameter("an adapter needs a name");
            }
            SimulatedAdapter old = find(sim, name);
            SimulatedAdapter next = merge(old, name, messages, first, policy, node, table);
            sim.putAdapter(next);
            SimulatedAdapter now = find(sim, name);
            return new Documents.SimulatedAdapterRow(now != null ? now : next).text();
        });
    }

    /**
     * The adapter the options describe: omitted options keep the existing adapter's values, or take
     * the defaults for a new one. A table only belongs to the explicit policy, so switching to
     * another policy without {@code --table} drops it.
     */
    static SimulatedAdapter merge(SimulatedAdapter old, String name, String messages, String first, String policy, String node,
            String table) {
        Integer count = given(messages) ? Integer.valueOf(Shell.parseInt("--messages", messages)) : null;
        if (count == null) {
            if (old == null) {
                throw StorPortException.invalidParameter("--messages is required for the new adapter " + name);
            }
            count = old.messages();
        }
        Integer firstMessage;
        if (!given(first)) {
            firstMessage = old == null ? null : old.first();
        } else if ("default".equals(first)) {
            firstMessage = null;
        } else {
            firstMessage = Shell.parseInt("--first", first);
        }
        String newPolicy = given(policy) ? policy : old == null ? DEFAULT_POLICY : old.policy();
        int newNode = given(node) ? Shell.parseInt("--node", node) : old == null ? 0 : old.node();
        List<Integer> newTable;
        if (given(table)) {
            newTable = parseTable(table);
        } else if (old != null && "explicit".equals(newPolicy)) {
            newTable = old.table();
        } else {
            newTable = List.of();
        }
        return new SimulatedAdapter(name, count, firstMessage, newPolicy, newNode, newTable);
    }

    static List<Integer> parseTable(String table) {
        List<Integer> out = new ArrayList<>();
        if (table.isBlank()) {
            return out;
        }
        for (String entry : table.split(",", -1)) {
            out.add(Shell.parseInt("--table entry", entry.trim()));
        }
        return out;
    }

    @Descriptor("remove a simulated adapter")
    public String simremove(@Descriptor("adapter name") String name) {
        return Shell.result(() -> {
            simulator().removeAdapter(name);
            return "removed: " + name + "\n";
        });
    }

    @Descriptor("serve a captured real host (storport:capture FILE.tar.gz) in the simulator, answering as that host did; sim-host SPEC returns to the synthetic host")
    public String simreplay(@Descriptor("a name for the replayed host, e.g. prod-db-7") String name,
            @Descriptor("the capture, a .tar.gz written by storport:capture") String file) {
        return Shell.result(() -> {
            SimulatorControl sim = simulator();
            return sim.replay(name, Shell.capturePath(file)) + "\n";
        });
    }

    /**
     * Gogo's fallback entry: {@code argv[0]} is the function name as typed. Binds the rest to the
     * typed method; {@code --help} prints that method's help.
     */
    public String _main(String[] argv) {
        return Shell.call(() -> {
            if (argv == null || argv.length == 0) {
                throw StorPortException.invalidParameter("no command given");
            }
            String function = argv[0];
            Method method = method(function);
            List<String> args = new ArrayList<>();
            for (int i = 1; i < argv.length; i++) {
                args.add(String.valueOf(argv[i])); // Gogo evaluates a bare null to null
            }
            if (args.contains("--help")) {
                return Shell.result(() -> CommandLine.usage(function, method));
            }
            Object[] v = CommandLine.bind(method, args);
            return switch (method.getName()) {
                case "simhost" -> simhost((String[]) v[0]);
                case "simadapter" -> simadapter((String) v[0], (String) v[1], (String) v[2], (String) v[3], (String) v[4], (String) v[5]);
                case "simreplay" -> simreplay((String) v[0], (String) v[1]);
                default -> simremove((String) v[0]);
            };
        });
    }

    private static Method method(String function) {
        String name = function.replace("-", "").toLowerCase(java.util.Locale.ROOT);
        for (Method m : SimulatorCommands.class.getMethods()) {
            if (m.getName().equals(name) && m.isAnnotationPresent(Descriptor.class)) {
                return m;
            }
        }
        throw StorPortException.invalidParameter("unknown command '" + function + "'");
    }

    private static boolean given(String option) {
        return option != null && !ABSENT.equals(option);
    }

    private static SimulatedAdapter find(SimulatorControl sim, String name) {
        for (SimulatedAdapter a : sim.adapters()) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private SimulatorControl simulator() {
        return Bound.present(simulator, "the simulator is not running");
    }
}

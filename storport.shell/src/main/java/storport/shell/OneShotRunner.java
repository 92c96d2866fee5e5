package storport.shell;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;

import storport.api.backend.BackendStatus;
import storport.api.backend.Backends;
import storport.api.fleet.Fleet;
import storport.api.StorStatus;

/**
 * Runs the Gogo line in the framework property {@value #PROPERTY} once and exits the JVM: 0 when it
 * succeeded, 1 with the failure's message on stderr when it failed. This is how
 * {@code ./storport 'CMD ; CMD'} works: Gogo itself runs without a console and would neither
 * execute the line nor turn a failure into an exit code.
 */
@Component(immediate = true)
public class OneShotRunner {
    static final String PROPERTY = "storport.command";

    /** How long to wait for the line's commands: SCR registers command services asynchronously. */
    static final long WAIT_MILLIS = 30_000;

    /** How long a wait for readiness lasts at most without a service or framework event (a state no event announces). */
    static final long RECHECK_MILLIS = 100;

    /** The backend selector's bundle: where it is installed, the product is ready only once it is. */
    static final String SELECTOR_BUNDLE = "storport.select";
    /** Felix SCR: where it is installed, backends come as DS components. */
    static final String SCR_BUNDLE = "org.apache.felix.scr";
    /** Felix Config Admin: where it is installed, components take their configuration from it. */
    static final String CM_BUNDLE = "org.apache.felix.configadmin";
    /** The launcher's broker (STORPORT_FLEET); with the role console or both, the run waits for the fleet. */
    static final String FLEET_PROPERTY = "storport.fleet";
    /** The manifest header naming a bundle's component descriptions. */
    private static final String SERVICE_COMPONENT = "Service-Component";

    private static final String COMMAND_FILTER = "(&(" + CommandProcessor.COMMAND_SCOPE + "=*)(" + CommandProcessor.COMMAND_FUNCTION + "=*))";

    /** Gogo's message when no method of a command takes the given arguments. */
    private static final Pattern GOGO_COERCE = Pattern.compile("Cannot coerce ([\\w.:-]+)\\(.*\\) to any of \\[.*\\]", Pattern.DOTALL);

    /** A plain command word: {@code msgid} or {@code storport:msgid}; anything else is not a command name. */
    private static final Pattern COMMAND_WORD = Pattern.compile("[A-Za-z_][\\w.-]*(:[A-Za-z_][\\w.-]*)?");

    /** Ends the JVM; a parameter so tests can observe the exit code. */
    interface Exit {
        void exit(int code);
    }

    /** A registered command service's {@code osgi.command.scope} and {@code osgi.command.function}. */
    record Registered(Object scope, Object function) {
    }

    private final Exit exit;

    /** Static and mandatory: the component waits for Gogo's runtime. */
    @Reference
    CommandProcessor processor;

    private Thread worker;
    private Readiness readiness;

    public OneShotRunner() {
        this(System::exit);
    }

    OneShotRunner(Exit exit) {
        this.exit = exit;
    }

    @Activate
    void activate(BundleContext context) {
        String line = context.getProperty(PROPERTY);
        if (line == null || line.isBlank()) {
            return;
        }
        CommandProcessor commands = processor;
        // The process's own streams, as Gogo's shell uses: System.out is Gogo's per-thread stream by
        // now, and a session writing into it would feed its own output back to itself.
        InputStream in = new FileInputStream(FileDescriptor.in);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        Readiness s = new Readiness(context);
        context.addServiceListener(s);
        context.addFrameworkListener(s);
        readiness = s;
        // Never block activate: SCR would hold up every other component meanwhile.
        worker = new Thread(() -> {
            try {
                runAndExit(() -> registered(context), s, s, commands, line, in, out, err);
            } finally {
                s.close();
            }
        }, "storport-command");
        worker.start();
    }

    @Deactivate
    void deactivate() {
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
        Readiness s = readiness;
        if (s != null) {
            s.close();
        }
    }

    /**
     * Waits for the line's commands and a ready product, runs the line, exits with its code;
     * returns without exiting when interrupted while waiting.
     */
    void runAndExit(Supplier<List<Registered>> registry, BooleanSupplier ready, Object events, CommandProcessor commands, String line,
            InputStream in, PrintStream out, PrintStream err) {
        if (!await(registry, commandNames(line), ready, events, WAIT_MILLIS)) {
            return;
        }
        exit.exit(execute(commands, line, in, out, err));
    }

    /**
     * Whether the product is ready, from what it says rather than from a quiet moment: every bundle
     * has started, every storport component is satisfied, and where the backend selector is
     * installed, it is registered and its persisted choice answers (that backend is active) or
     * cannot (its status gives a reason); until then the selector could answer from whichever
     * backend registered first. Service and framework events wake the waiting thread ({@link #await}).
     */
    private static final class Readiness implements ServiceListener, FrameworkListener, BooleanSupplier {
        private final BundleContext context;

        Readiness(BundleContext context) {
            this.context = context;
        }

        @Override
        public void serviceChanged(ServiceEvent event) {
            wake();
        }

        @Override
        public void frameworkEvent(FrameworkEvent event) {
            wake();
        }

        private synchronized void wake() {
            notifyAll();
        }

        @Override
        public boolean getAsBoolean() {
            try {
                return everyBundleStarted() && everyComponentSatisfied() && configurationsApplied() && fleetArrived() && chosenBackendAnswers();
            } catch (IllegalStateException stopping) {
                return true;
            } catch (RuntimeException unexpected) {
                // never leave the line unrun: it runs now, and Gogo reports what is missing
                return true;
            }
        }

        /**
         * Every bundle of the runtime has started (fragments aside): the launcher starts them one by
         * one after the framework itself, so the framework's own state says nothing about them, and
         * SCR loads a bundle's components as it starts. Every bundle the product installs is one
         * it starts.
         */
        private boolean everyBundleStarted() {
            for (Bundle b : context.getBundles()) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                    continue;
                }
                BundleStartLevel level = b.adapt(BundleStartLevel.class);
                boolean lazy = b.getState() == Bundle.STARTING && level != null && level.isActivationPolicyUsed();
                if (b.getState() != Bundle.ACTIVE && !lazy) {
                    return false;
                }
            }
            return true;
        }

        /**
         * SCR has read the components of every started storport bundle (it does so on the bundle's
         * STARTED event, after the bundle already reads active), and every enabled one is satisfied
         * or active and serving ({@link #serving}): DS has wired all it can. Until then a backend, the simulator's control or Config
         * Admin behind them may still be on its way (Config Admin waits for storport's persistence
         * manager, which may first finish an interrupted write). A component storport disables on
         * purpose (the native backend on a host it cannot read, the console's login before HTTP
         * serves) does not count.
         */
        private boolean everyComponentSatisfied() {
            ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
            ServiceComponentRuntime scr = ref == null ? null : context.getService(ref);
            if (scr == null) {
                return Arrays.stream(context.getBundles()).noneMatch(b -> SCR_BUNDLE.equals(b.getSymbolicName()));
            }
            try {
                for (Bundle b : context.getBundles()) {
                    if (storport(b.getSymbolicName()) && b.getHeaders().get(SERVICE_COMPONENT) != null
                            && scr.getComponentDescriptionDTOs(b).isEmpty()) {
                        return false;
                    }
                }
                for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                    if (d.bundle == null || !storport(d.bundle.symbolicName) || !scr.isComponentEnabled(d)) {
                        continue;
                    }
                    Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(d);
                    if (configurations.isEmpty() || configurations.stream()
                            .anyMatch(c -> c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED)) {
                        return false;
                    }
                    for (ComponentConfigurationDTO c : configurations) {
                        if (!serving(d, c) || c.state == ComponentConfigurationDTO.ACTIVE && !greedyReferencesBound(d, c)) {
                            return false;
                        }
                    }
                }
                return true;
            } finally {
                context.ungetService(ref);
            }
        }

        /**
         * Config Admin has delivered what it holds to storport's components: where it is installed
         * it is registered (it waits for storport's persistence manager, which may first finish an
         * interrupted write), and every component configured by a PID Config Admin has a
         * configuration for carries that configuration's properties. Until then a component runs
         * on its defaults (the selector on no preferred backend) and is reconfigured a moment later.
         */
        private boolean configurationsApplied() {
            ServiceReference<ConfigurationAdmin> cmRef = context.getServiceReference(ConfigurationAdmin.class);
            ConfigurationAdmin cm = cmRef == null ? null : context.getService(cmRef);
            if (cm == null) {
                return Arrays.stream(context.getBundles()).noneMatch(b -> CM_BUNDLE.equals(b.getSymbolicName()));
            }
            ServiceReference<ServiceComponentRuntime> scrRef = context.getServiceReference(ServiceComponentRuntime.class);
            ServiceComponentRuntime scr = scrRef == null ? null : context.getService(scrRef);
            try {
                if (scr == null) {
                    return true; // no components to configure; everyComponentSatisfied waits for SCR where it is installed
                }
                for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                    if (d.bundle == null || !storport(d.bundle.symbolicName) || "ignore".equals(d.configurationPolicy)) {
                        continue;
                    }
                    for (String pid : d.configurationPid) {
                        Configuration[] held = cm.listConfigurations("(" + Constants.SERVICE_PID + "=" + pid + ")");
                        if (held == null) {
                            continue;
                        }
                        for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                            if (!carries(c.properties, held[0].getProperties())) {
                                return false;
                            }
                        }
                    }
                }
                return true;
            } catch (IOException | InvalidSyntaxException e) {
                return true; // nothing to wait for that could be read
            } finally {
                context.ungetService(cmRef);
                if (scrRef != null) {
                    context.ungetService(scrRef);
                }
            }
        }

        /** Whether a component's properties hold every property of its configuration, values equal. */
        private static boolean carries(Map<String, Object> component, Dictionary<String, Object> configuration) {
            if (configuration == null) {
                return true; // created but never updated: nothing delivered
            }
            for (Enumeration<String> keys = configuration.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                if (!Objects.deepEquals(component.get(key), configuration.get(key))) {
                    return false;
                }
            }
            return true;
        }

        /**
         * A satisfied or active component serves as DS says: its service, where it has one, is
         * registered (SCR reports the state before it registers the service: seen, the simulator's
         * backend missing from the selector's list while its component read satisfied), and a
         * delayed component whose service a bundle already holds is active (otherwise SCR is
         * activating it for that bundle: seen, the simulator's model seeding its default host after
         * a start that repaired an interrupted configuration write, while the shell's reference waited).
         */
        private boolean serving(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
            try {
                ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(" + ComponentConstants.COMPONENT_ID + "=" + c.id + ")");
                if (refs == null) {
                    return d.serviceInterfaces.length == 0;
                }
                for (ServiceReference<?> r : refs) {
                    Bundle[] using = r.getUsingBundles();
                    if (c.state == ComponentConfigurationDTO.SATISFIED && using != null && using.length > 0) {
                        return false;
                    }
                }
                return true;
            } catch (InvalidSyntaxException impossible) {
                return true;
            }
        }

        /**
         * An active component has bound what its greedy references can take: SCR binds a service that
         * comes up (activating a delayed one first) while the line could already run, and a command
         * would find its reference still empty (seen: the simulator's control, right after a start
         * that repaired an interrupted configuration write).
         */
        private boolean greedyReferencesBound(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
            for (ReferenceDTO r : d.references) {
                if (!"greedy".equals(r.policyOption)) {
                    continue;
                }
                int bound = 0;
                String target = r.target;
                for (SatisfiedReferenceDTO s : c.satisfiedReferences) {
                    if (s.name.equals(r.name)) {
                        bound = s.boundServices.length;
                        target = s.target;
                    }
                }
                int available;
                try {
                    ServiceReference<?>[] refs = context.getAllServiceReferences(r.interfaceName, target);
                    available = refs == null ? 0 : refs.length;
                } catch (InvalidSyntaxException e) {
                    continue;
                }
                int wanted = r.cardinality.endsWith("..n") ? available : Math.min(available, 1);
                if (bound < wanted) {
                    return false;
                }
            }
            return true;
        }

        /** What the backend's status says keeps it from answering, or null (no status, or none). */
        private String unavailableReason(String backend) {
            try {
                for (ServiceReference<BackendStatus> s : context.getServiceReferences(BackendStatus.class, null)) {
                    BackendStatus status = context.getService(s);
                    try {
                        if (status != null && backend.equals(status.backend()) && status.unavailableReason() != null) {
                            return status.unavailableReason();
                        }
                    } finally {
                        context.ungetService(s);
                    }
                }
                return null;
            } catch (InvalidSyntaxException impossible) {
                return null;
            }
        }

        private boolean chosenBackendAnswers() {
            ServiceReference<Backends> ref = context.getServiceReference(Backends.class);
            Backends backends = ref == null ? null : context.getService(ref);
            if (backends == null) {
                // no selector in this framework, or not yet registered
                return Arrays.stream(context.getBundles()).noneMatch(b -> SELECTOR_BUNDLE.equals(b.getSymbolicName()));
            }
            try {
                String preferred = backends.preferred();
                return preferred == null || preferred.equals(backends.active()) || unavailableReason(preferred) != null;
            } finally {
                context.ungetService(ref);
            }
        }

        /**
         * Where the launcher made this run a fleet console ({@code STORPORT_FLEET} with
         * {@code STORPORT_FLEET_ROLE} console or both), the fleet is registered: storport.fleet does so
         * once the broker's retained state has arrived (or the broker could not be reached), so
         * {@code hosts} and {@code backend host:NAME} answer for the whole fleet. The persisted choice
         * of a fleet host waits for this too.
         */
        private boolean fleetArrived() {
            String broker = context.getProperty(FLEET_PROPERTY);
            String role = context.getProperty(FLEET_PROPERTY + ".role");
            if (broker == null || broker.isBlank() || role == null || !(role.trim().equals("console") || role.trim().equals("both"))) {
                return true;
            }
            return context.getServiceReference(Fleet.class) != null;
        }

        private static boolean storport(String symbolicName) {
            return symbolicName != null && symbolicName.startsWith(Shell.SCOPE + ".");
        }

        void close() {
            try {
                context.removeServiceListener(this);
                context.removeFrameworkListener(this);
            } catch (IllegalStateException stopping) {
                // the listeners went with the bundle context
            }
        }
    }

    /**
     * Executes the line in a new session, statement by statement, printing each statement's value
     * as Gogo's shell prints a line's: Gogo itself keeps only the last statement's value of a line,
     * and {@code ./storport 'storport:adapters ; storport:topology'} prints both. The statements share
     * the session, so a variable set in one is seen by the next; the first failure ends the line.
     *
     * @return 0, or 1 after printing only the failure's message to {@code err}
     */
    static int execute(CommandProcessor commands, String line, InputStream in, PrintStream out, PrintStream err) {
        int code = 0;
        try (CommandSession session = commands.createSession(in, out, err)) {
            for (String statement : statements(line)) {
                Object result = session.execute(statement);
                if (result != null) {
                    out.println(session.format(result, Converter.INSPECT));
                }
            }
        } catch (Throwable e) {
            // the message is the contract (STOR_STATUS_<NAME>: <reason>); a stack trace is not
            err.println(message(e));
            code = 1;
        } finally {
            out.flush();
            err.flush();
        }
        return code;
    }

    /**
     * The top-level statements of a Gogo line: its text split at {@code ;} and line breaks outside
     * quotes and outside {@code {}}, {@code ()} and {@code []} (a closure's statements stay in it).
     * Blank statements are left out.
     */
    static List<String> statements(String line) {
        List<String> out = new ArrayList<>();
        for (String part : split(line, ";\n\r", true)) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /**
     * The parts of a line between the {@code separators}, outside quotes (a backslash escapes inside
     * double quotes). {@code nested}: brackets open and close levels, kept in the parts, and only
     * separators outside all of them split; otherwise closure and sub-command brackets split like
     * the separators (a list's {@code []} stays in its part).
     */
    private static List<String> split(String line, String separators, boolean nested) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    part.append(c).append(line.charAt(++i));
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (!nested && "{}()".indexOf(c) >= 0) {
                parts.add(part.toString());
                part.setLength(0);
                continue;
            } else if (nested && "{([".indexOf(c) >= 0) {
                depth++;
            } else if (nested && "})]".indexOf(c) >= 0) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && separators.indexOf(c) >= 0) {
                parts.add(part.toString());
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        parts.add(part.toString());
        return parts;
    }

    /** What a failure says: its message alone; Gogo wraps an Error thrown by a command in an InvocationTargetException. */
    static String message(Throwable e) {
        Throwable t = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
        String m = t.getMessage() != null ? t.getMessage() : t.toString();
        // Gogo's own wording for a wrong argument count ("Cannot coerce msgid(Token) to any of
        // [(String, String)]") names its parser's types and no status: a script gets the contract's line.
        Matcher coerce = t instanceof IllegalArgumentException ? GOGO_COERCE.matcher(m) : null;
        if (coerce != null && coerce.matches()) {
            return StorStatus.INVALID_PARAMETER.symbol() + ": " + coerce.group(1) + " does not take these arguments; see: help "
                    + coerce.group(1);
        }
        return m;
    }

    /**
     * Waits until every name is registered and the product is ready, or the time is up (then the
     * line runs anyway and Gogo reports what is missing). Checks again whenever {@code events} is
     * notified, and every {@value #RECHECK_MILLIS} ms at the latest.
     *
     * @return false when interrupted
     */
    static boolean await(Supplier<List<Registered>> registry, List<String> names, BooleanSupplier ready, Object events, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        // the checks run outside the monitor: they call into the service registry, whose events notify it
        while (!missing(names, registry.get()).isEmpty() || !ready.getAsBoolean()) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
                break;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(leftNanos) + 1;
            try {
                synchronized (events) {
                    events.wait(Math.min(left, RECHECK_MILLIS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !Thread.currentThread().isInterrupted();
    }

    private static List<Registered> registered(BundleContext context) {
        List<Registered> out = new ArrayList<>();
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, COMMAND_FILTER);
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                out.add(new Registered(ref.getProperty(CommandProcessor.COMMAND_SCOPE), ref.getProperty(CommandProcessor.COMMAND_FUNCTION)));
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // the filter is a constant
        } catch (IllegalStateException stopping) {
            // the bundle is stopping: nothing is registered for us any more
        }
        return out;
    }

    /** The names no registered service provides. */
    static List<String> missing(List<String> names, List<Registered> registered) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            boolean found = false;
            for (Registered r : registered) {
                found |= provides(r, name);
            }
            if (!found) {
                out.add(name);
            }
        }
        return out;
    }

    /** Whether a service provides a command word: {@code scope:function}, or {@code function} in any scope (case-insensitive, as Gogo). */
    static boolean provides(Registered r, String word) {
        int colon = word.indexOf(':');
        if (colon >= 0 && (r.scope() == null || !word.substring(0, colon).equalsIgnoreCase(r.scope().toString()))) {
            return false;
        }
        String function = word.substring(colon + 1);
        for (Object f : functions(r.function())) {
            if (function.equalsIgnoreCase(String.valueOf(f))) {
                return true;
            }
        }
        return false;
    }

    private static Collection<?> functions(Object function) {
        if (function instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (function instanceof Collection<?> c) {
            return c;
        }
        return function == null ? List.of() : List.of(function);
    }

    /**
     * The command names of a Gogo line, roughly: the first word of every part between {@code ;},
     * {@code |}, {@code &}, line breaks and closure/sub-command brackets, outside quotes. Words that
     * cannot name a command (variables, literals, assignments) are left out.
     */
    static List<String> commandNames(String line) {
        List<String> parts = split(line, ";|&\n\r", false);
        Set<String> names = new LinkedHashSet<>();
        for (String p : parts) {
            String[] words = p.trim().split("\\s+");
            boolean assignment = words.length > 1 && words[1].startsWith("=");
            if (!assignment && COMMAND_WORD.matcher(words[0]).matches() && !isLiteral(words[0])) {
                names.add(words[0]);
            }
            // our own commands named as arguments, e.g. help storport:map
            for (int i = 1; i < words.length; i++) {
                if (words[i].startsWith(Shell.SCOPE + ":") && COMMAND_WORD.matcher(words[i]).matches()) {
                    names.add(words[i]);
                }
            }
        }
        return List.copyOf(names);
    }

    private static boolean isLiteral(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return w.equals("true") || w.equals("false") || w.equals("null");
    }
}

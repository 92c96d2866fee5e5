package storport.console;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;
import org.osgi.service.servlet.runtime.dto.ServletContextDTO;
import org.osgi.service.servlet.runtime.dto.ServletDTO;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

import jakarta.servlet.Servlet;

/**
 * Prints where the console is, once it answers there:
 * {@code storport console: http://127.0.0.1:8181/system/console/storport (user admin)}, then where
 * the password comes from (a generated one is printed this once). Nothing is printed, and no
 * password generated, while HTTP is off (the one-shot {@code ./storport 'CMD'} runs).
 *
 * <p>"Answers" is more than "HTTP listens": the Web Console registers its servlet again each time
 * its configuration is delivered (at every start, after HTTP listens), and a request in between
 * gets nothing useful. So the address is printed once the HTTP runtime serves the Web Console's
 * servlet registered with the configuration {@link WebConsoleLockdown} gave it (its registration
 * carries its configuration; the built-in default password means not yet delivered), which is
 * the last registration a start makes. The runtime is asked on a thread of this component's own,
 * never inside a service event, where it could wait on the Web Console's locks.
 */
@Component(immediate = true)
public class ConsoleAnnouncer {
    /** The Web Console's own servlet, once registered with a password of its own (not the built-in default). */
    static final String CONFIGURED_WEB_CONSOLE = "(&(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/)(password=*)"
            + "(!(password=admin))(!(password=" + WebConsoleLockdown.WELL_KNOWN + ")))";

    private final PrintStream out;
    /** Given (tests: the caller's thread), or null: a thread of our own from activation to deactivation. */
    private final Executor givenChecks;
    /** Guarded by this. */
    private Executor checks;
    private Object endpoints;
    private HttpServiceRuntime runtime;
    private final Set<Long> webConsoleServlets = new HashSet<>();
    private boolean announced;

    @Reference
    Credentials credentials;

    /** The storport page, so the printed address is there; only its registration matters. */
    @Reference(target = "(" + ServletConstants.PLUGIN_LABEL + "=" + ConsolePlugin.LABEL + ")")
    Servlet page;

    public ConsoleAnnouncer() {
        // the process's own stdout: System.out may be Gogo's per-session stream by now
        this(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8), null);
    }

    ConsoleAnnouncer(PrintStream out, Executor checks) {
        this.out = out;
        this.givenChecks = checks;
    }

    @Activate
    synchronized void activate() {
        checks = givenChecks != null ? givenChecks : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "storport console announcer");
            t.setDaemon(true);
            return t;
        });
        checkLater();
    }

    @Deactivate
    synchronized void deactivate() {
        if (checks instanceof ExecutorService own) {
            own.shutdownNow();
        }
        checks = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        updatedRuntime(runtime, properties);
    }

    /** Also called when the runtime's change count moves, which it does when it starts or stops serving a servlet. */
    synchronized void updatedRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        Object e = properties.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT);
        if (!urls(e).isEmpty()) {
            this.runtime = runtime;
            this.endpoints = e;
        }
        checkLater();
    }

    synchronized void unbindRuntime(HttpServiceRuntime runtime) {
        if (this.runtime == runtime) {
            this.runtime = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, target = CONFIGURED_WEB_CONSOLE)
    synchronized void bindWebConsole(Servlet servlet, Map<String, Object> properties) {
        webConsoleServlets.add((Long) properties.get(Constants.SERVICE_ID));
        checkLater();
    }

    synchronized void unbindWebConsole(Servlet servlet, Map<String, Object> properties) {
        webConsoleServlets.remove(properties.get(Constants.SERVICE_ID));
    }

    private void checkLater() {
        if (checks != null && !announced) {
            checks.execute(this::announceIfServed);
        }
    }

    /** Prints the address(es) and the password's source the first time the runtime serves the configured Web Console. */
    void announceIfServed() {
        HttpServiceRuntime r;
        Set<Long> servlets;
        synchronized (this) {
            if (checks == null || announced || runtime == null || webConsoleServlets.isEmpty()) {
                return;
            }
            r = runtime;
            servlets = Set.copyOf(webConsoleServlets);
        }
        if (!serves(r, servlets)) {
            return; // updatedRuntime checks again when the runtime's change count moves
        }
        synchronized (this) {
            if (checks == null || announced) {
                return;
            }
            announced = true;
            StringBuilder sb = new StringBuilder();
            for (String url : urls(endpoints)) {
                sb.append("storport console: ").append(url).append(" (user ").append(Credentials.USER).append(")\n");
            }
            out.print(sb);
            out.flush();
        }
        // Apart and after the address: at the first start this generates the password and stores its
        // PBKDF2 hash, most of a second, which would hold the address back behind the shell's prompt.
        String password = credentials.announce();
        if (!password.isEmpty()) {
            out.print(password + "\n");
            out.flush();
        }
    }

    private static boolean serves(HttpServiceRuntime runtime, Set<Long> servlets) {
        RuntimeDTO dto;
        try {
            dto = runtime.getRuntimeDTO();
        } catch (RuntimeException gone) {
            return false; // unregistered meanwhile
        }
        for (ServletContextDTO context : dto.servletContextDTOs) {
            for (ServletDTO servlet : context.servletDTOs) {
                if (servlets.contains(servlet.serviceId)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code http://127.0.0.1:8181/} -> {@code http://127.0.0.1:8181/system/console/storport}. */
    static List<String> urls(Object endpoints) {
        Collection<?> all = endpoints instanceof String s ? List.of(s)
                : endpoints instanceof String[] a ? List.of(a)
                : endpoints instanceof Collection<?> c ? c : List.of();
        List<String> out = new ArrayList<>();
        for (Object e : all) {
            String url = String.valueOf(e).trim();
            if (url.startsWith("http")) {
                while (url.endsWith("/")) {
                    url = url.substring(0, url.length() - 1);
                }
                out.add(url + ConsoleSecurity.HOME);
            }
        }
        return out;
    }
}

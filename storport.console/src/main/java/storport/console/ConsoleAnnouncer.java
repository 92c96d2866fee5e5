package storport.console;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;

/**
 * Prints where the console is, once the HTTP runtime listens:
 * {@code storport console: http://127.0.0.1:8181/system/console/storport (user admin)}, then where
 * the password comes from (a generated one is printed this once). Nothing is printed, and no
 * password generated, while HTTP is off (the one-shot {@code ./storport 'CMD'} runs).
 */
@Component(immediate = true)
public class ConsoleAnnouncer {
    private final PrintStream out;
    private Object endpoints;
    private boolean active;
    private boolean announced;

    @Reference
    Credentials credentials;

    public ConsoleAnnouncer() {
        // the process's own stdout: System.out may be Gogo's per-session stream by now
        this(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
    }

    ConsoleAnnouncer(PrintStream out) {
        this.out = out;
    }

    @Activate
    synchronized void activate() {
        active = true;
        announce(endpoints);
    }

    @Deactivate
    synchronized void deactivate() {
        active = false;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        announce(properties.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT));
    }

    synchronized void updatedRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        announce(properties.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT));
    }

    void unbindRuntime(HttpServiceRuntime runtime) {
        // nothing: the address was printed once
    }

    /** Prints the console's address(es) and the password's source the first time there is an endpoint. */
    synchronized void announce(Object endpoints) {
        List<String> urls = urls(endpoints);
        if (!urls.isEmpty()) {
            this.endpoints = endpoints;
        }
        if (!active || announced || urls.isEmpty()) {
            return;
        }
        announced = true;
        StringBuilder sb = new StringBuilder();
        for (String url : urls) {
            sb.append("storport console: ").append(url).append(" (user ").append(Credentials.USER).append(")\n");
        }
        String password = credentials.announce();
        if (!password.isEmpty()) {
            sb.append(password).append('\n');
        }
        out.print(sb);
        out.flush();
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

package storport.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import storport.api.Adapter;
import storport.api.backend.Backends;
import storport.api.Host;
import storport.api.StorPort;
import storport.api.fleet.Fleet;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.sim.WhatIf;
import storport.view.Documents;
import storport.view.Compare;
import storport.view.FindingsCache;
import storport.view.Bound;

/**
 * The storport page of the Felix Web Console ({@code /system/console/storport}) and its JSON API
 * under {@code /system/console/storport/api/}:
 * <ul>
 * <li>GET {@code adapters}, {@code map/ADAPTER}, {@code messages/ADAPTER}, {@code topology}: the
 *     shell's {@code --json} documents, byte for byte;
 * <li>GET {@code backend}: the backends; POST {@code backend} with {@code name=...} switches (needs
 *     the session's CSRF token in the {@value #CSRF_HEADER} header or a {@code csrf} form field);
 * <li>GET {@code msgid/ADAPTER/INDEX}: the seed call, its message ID or its STOR_STATUS;
 * <li>GET {@code findings}: the shell's {@code check --json}; {@code rates/ADAPTER}: the shell's
 *     {@code rates --json} since the previous call for that adapter (a first call measures a quarter
 *     second); {@code events}: the last change events, newest first; {@code compare/ADAPTER?policies=P,P[&isolated=LIST][&offline=LIST]}:
 *     the shell's {@code compare --json};
 * <li>GET {@code version}: a number that moves when anything shown changes (pages poll it).
 * </ul>
 * Every response that carries the session's CSRF token sends it in {@value #CSRF_HEADER}, so a
 * script logged in with HTTP Basic can POST too. {@link ConsoleSecurity} has already refused
 * unauthenticated and cross-site requests before this servlet runs.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + ConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=storport",
        ServletConstants.PLUGIN_CATEGORY + "=storport" })
public class ConsolePlugin extends AbstractServlet {
    private static final long serialVersionUID = 1L;
    static final String LABEL = "storport";
    static final String CSRF_HEADER = "X-Storport-CSRF";
    private static final Map<String, String> RESOURCES = Map.of(
            "storport.js", "text/javascript;charset=utf-8",
            "storport.css", "text/css;charset=utf-8");
    /** ASCII digits only, as the shell: Long.parseLong would also take other scripts' digits. */
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    transient volatile StorPort storport;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    transient volatile Backends backends;

    @Reference
    transient ChangeTracker changes;

    @Reference
    transient RecentEvents events;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    transient volatile WhatIf whatIf;

    /** Present where this storport is a fleet console (storport.fleet): the page's fleet panel. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    transient volatile Fleet fleet;

    /** Findings once per snapshot, however many pages poll. */
    private final transient FindingsCache findings = new FindingsCache();
    private final transient RateSampler rates = new RateSampler();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = subPath(request);
        if (path.isEmpty() || path.equals("/")) {
            return; // the page: the Web Console frames it and calls renderContent
        }
        if (path.startsWith("/res/")) {
            resource(path.substring(5), response);
            return;
        }
        if (path.startsWith("/api/")) {
            api(request, response, path.substring(5));
            return;
        }
        send(response, HttpServletResponse.SC_NOT_FOUND, Documents.failureJson(StorPortException.invalidParameter("no such page: " + path)));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = subPath(request);
        if (!path.equals("/api/backend")) {
            send(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    Documents.failureJson(new StorPortException(StorStatus.INVALID_DEVICE_REQUEST, "POST is only for api/backend")));
            return;
        }
        if (!ConsoleSecurity.validToken(request)) {
            send(response, HttpServletResponse.SC_FORBIDDEN, Documents.failureJson(new StorPortException(StorStatus.ACCESS_DENIED,
                    "missing or wrong CSRF token (send the " + CSRF_HEADER + " header the console's responses carry)")));
            return;
        }
        String name = request.getParameter("name");
        try {
            Backends b = backends();
            b.select(name);
            offerToken(request, response);
            send(response, HttpServletResponse.SC_OK, Documents.Backends.of(b).json());
        } catch (StorPortException e) {
            send(response, status(e), Documents.failureJson(e));
        }
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String root = attribute(request, ServletConstants.ATTR_PLUGIN_ROOT, ConsoleSecurity.HOME);
        String appRoot = attribute(request, ServletConstants.ATTR_APP_ROOT, ConsoleSecurity.ROOT);
        String token = ConsoleSecurity.csrfToken(request.getSession(true));
        // the page is a template resource; its three values are escaped for an attribute
        String page = template().replace("{{root}}", attr(root)).replace("{{appRoot}}", attr(appRoot)).replace("{{csrf}}", attr(token));
        PrintWriter w = response.getWriter();
        w.print(page);
        w.flush();
    }

    /** The page's markup ({@code res/page.html}); no "$" followed by "{" in it: the Web Console would take it for a variable. */
    private static String template() throws IOException {
        try (InputStream in = ConsolePlugin.class.getResourceAsStream("res/page.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void api(HttpServletRequest request, HttpServletResponse response, String call) throws IOException {
        offerToken(request, response);
        try {
            if (call.equals("version")) {
                send(response, HttpServletResponse.SC_OK, new Documents.Version(changes.version()).json());
                return;
            }
            if (call.equals("backend")) {
                Backends b = backends();
                send(response, HttpServletResponse.SC_OK, Documents.Backends.of(b).json());
                return;
            }
            if (call.equals("events")) {
                send(response, HttpServletResponse.SC_OK, events.events().json());
                return;
            }
            if (call.equals("hosts")) {
                // storport:hosts --json [--finding CODE], the same document
                Fleet f = Bound.present(fleet, "this storport holds no fleet (STORPORT_FLEET_ROLE=console or both)");
                String code = request.getParameter("finding");
                Documents.Hosts hosts = Documents.Hosts.of(f);
                send(response, HttpServletResponse.SC_OK, (code == null || code.isBlank() ? hosts : hosts.withFinding(code.trim())).json());
                return;
            }
            StorPort storPort = backend();
            Host host = storPort.host();
            if (call.startsWith("rates/")) {
                send(response, HttpServletResponse.SC_OK, rates.since(storPort, adapter(host, call.substring(6)).id()).json());
            } else if (call.startsWith("compare/")) {
                String policies = request.getParameter("policies");
                Compare c = Compare.of(host, adapter(host, call.substring(8)).id(),
                        policies == null || policies.isBlank() ? List.of() : List.of(policies.trim().split("[,\\s]+")),
                        Compare.cpus("isolated", request.getParameter("isolated"), host.topology()),
                        Compare.cpus("offline", request.getParameter("offline"), host.topology()), whatIf);
                send(response, HttpServletResponse.SC_OK, c.json());
            } else if (call.equals("findings")) {
                send(response, HttpServletResponse.SC_OK, new Documents.FindingsView(host.backend(), findings.of(host)).json());
            } else if (call.equals("adapters")) {
                send(response, HttpServletResponse.SC_OK, new Documents.Adapters(host).json());
            } else if (call.equals("topology")) {
                send(response, HttpServletResponse.SC_OK, new Documents.TopologyView(host).json());
            } else if (call.startsWith("map/")) {
                send(response, HttpServletResponse.SC_OK, new Documents.AdapterMap(host, adapter(host, call.substring(4))).json());
            } else if (call.startsWith("messages/")) {
                send(response, HttpServletResponse.SC_OK, new Documents.Messages(host, adapter(host, call.substring(9))).json());
            } else if (call.startsWith("msgid/") && call.lastIndexOf('/') > 6) {
                seed(response, host, call.substring(6, call.lastIndexOf('/')), call.substring(call.lastIndexOf('/') + 1));
            } else {
                send(response, HttpServletResponse.SC_NOT_FOUND, Documents.failureJson(StorPortException.invalidParameter("no such call: api/"
                        + call + " (calls: adapters, map/ADAPTER, messages/ADAPTER, topology, findings, rates/ADAPTER,"
                        + " compare/ADAPTER?policies=P,P, events, backend, hosts?finding=CODE, msgid/ADAPTER/INDEX, version)")));
            }
        } catch (StorPortException e) {
            send(response, status(e), Documents.failureJson(e));
        } catch (RuntimeException e) {
            send(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, Documents.failureJson(new StorPortException(StorStatus.UNSUCCESSFUL,
                    e.toString())));
        }
    }

    /** The seed call: always 200; the body says SUCCESS and the message, or the STOR_STATUS and why, as the shell's msgid. */
    private static void seed(HttpServletResponse response, Host host, String adapter, String index) throws IOException {
        try {
            Adapter a = host.adapter(adapter); // an unknown adapter is reported before a bad index, as the API does
            long i = processorIndex(host, index);
            send(response, HttpServletResponse.SC_OK, new Documents.Seed(host, a, i, host.messageInterruptId(adapter, i)).json());
        } catch (StorPortException e) {
            send(response, HttpServletResponse.SC_OK, Documents.failureJson(e));
        }
    }

    /** The index as the shell's msgid reads it, so the errors read the same. */
    static long processorIndex(Host host, String index) {
        if (index == null || !INTEGER.matcher(index).matches()) {
            throw StorPortException.invalidParameter("processor index '" + index + "' is not a number");
        }
        try {
            return Long.parseLong(index);
        } catch (NumberFormatException tooLarge) {
            throw StorPortException.invalidParameter("processor index " + new java.math.BigInteger(index) + " is outside 0.."
                    + (host.topology().processorCount() - 1));
        }
    }

    private static Adapter adapter(Host host, String name) {
        Adapter a = host.find(name);
        if (a == null) {
            throw new NotFound(host, name);
        }
        return a;
    }

    /** An unknown adapter in a path: 404, with the API's own wording. */
    private static final class NotFound extends StorPortException {
        private static final long serialVersionUID = 1L;

        NotFound(Host host, String name) {
            super(StorStatus.INVALID_PARAMETER, reason(host, name));
        }

        private static String reason(Host host, String name) {
            try {
                host.adapter(name);
                return "unknown adapter '" + name + "'";
            } catch (StorPortException e) {
                return e.reason();
            }
        }
    }

    private static int status(StorPortException e) {
        if (e instanceof NotFound) {
            return HttpServletResponse.SC_NOT_FOUND;
        }
        return switch (e.status()) {
            case INVALID_PARAMETER -> HttpServletResponse.SC_BAD_REQUEST;
            case INVALID_DEVICE_STATE, BUSY -> HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            case ACCESS_DENIED -> HttpServletResponse.SC_FORBIDDEN;
            default -> HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        };
    }

    private StorPort backend() {
        return Bound.present(storport, "no storport backend is registered");
    }

    private Backends backends() {
        return Bound.present(backends, "the backend selector is not running");
    }

    /** Hands the session's CSRF token to API clients (a session is made for HTTP Basic clients). */
    private static void offerToken(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader(CSRF_HEADER, ConsoleSecurity.csrfToken(request.getSession(true)));
    }

    private void resource(String name, HttpServletResponse response) throws IOException {
        String type = RESOURCES.get(name);
        InputStream in = type == null ? null : ConsolePlugin.class.getResourceAsStream("res/" + name);
        if (in == null) {
            send(response, HttpServletResponse.SC_NOT_FOUND, Documents.failureJson(StorPortException.invalidParameter("no such resource: " + name)));
            return;
        }
        try (in) {
            byte[] bytes = in.readAllBytes();
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(type);
            response.setHeader("Cache-Control", "no-cache");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }

    private static void send(HttpServletResponse response, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The path below the plugin's label: {@code /storport/api/map/nvme0} -> {@code /api/map/nvme0}. */
    private static String subPath(HttpServletRequest request) {
        String info = request.getPathInfo();
        if (info == null) {
            return "";
        }
        String prefix = "/" + LABEL;
        return info.startsWith(prefix) ? info.substring(prefix.length()) : info;
    }

    private static String attribute(HttpServletRequest request, String name, String fallback) {
        Object v = request.getAttribute(name);
        return v instanceof String s ? s : fallback;
    }

    private static String attr(String s) {
        return ConsoleSecurity.html(s).replace("$", "&#36;");
    }
}

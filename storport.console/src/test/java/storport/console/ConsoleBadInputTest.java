package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

import jakarta.servlet.http.HttpServletRequest;
import storport.api.backend.BackendInfo;
import storport.api.backend.Backends;
import storport.api.StorPortException;

/**
 * Bad input to the console's HTTP endpoints: every answer is a JSON status document with the
 * reason (never a stack trace or an exception's class), the seed call answers 200 with the
 * STOR_STATUS as the shell's msgid does, and nothing changes (the backend choice, the answers).
 */
public class ConsoleBadInputTest {
    private static final String P = "STOR_STATUS_INVALID_PARAMETER";

    private final ConsolePlugin plugin = new ConsolePlugin();
    private final Http.Client client = new Http.Client();
    private final List<String> selected = new ArrayList<>();

    @Before
    public void bind() {
        plugin.storport = Hosts.storport(Hosts.default80());
        plugin.changes = new ChangeTracker();
        plugin.backends = new Backends() {
            @Override
            public List<BackendInfo> backends() {
                return List.of(new BackendInfo("sim", true, "", true, true));
            }

            @Override
            public String active() {
                return "sim";
            }

            @Override
            public String preferred() {
                return "sim";
            }

            @Override
            public void select(String name) {
                // the selector's own wording (storport.select)
                if (name == null || name.isBlank()) {
                    throw StorPortException.invalidParameter("no backend given");
                }
                if (!"sim".equals(name)) {
                    throw StorPortException.invalidParameter("unknown backend '" + name + "' (available: sim)");
                }
                selected.add(name);
            }
        };
    }

    private Http.Response get(String path) throws Exception {
        Http.Request q = new Http.Request(client, "GET", "/system/console" + path);
        q.pathInfo = path;
        Http.Response r = new Http.Response();
        plugin.doGet(q.proxy(), r.proxy());
        return r;
    }

    /** The status and the reason of a JSON error document; fails on anything else. */
    private static String error(Http.Response r) {
        String body = r.body();
        assertNoTrace(body);
        assertEquals(body, "application/json;charset=utf-8", r.contentType);
        assertTrue(body, body.startsWith("{\"status\":\"STOR_STATUS_"));
        assertTrue(body, body.contains("\"reason\":\""));
        Map<?, ?> document = new com.google.gson.GsonBuilder().setStrictness(com.google.gson.Strictness.STRICT).create().fromJson(body, Map.class);
        return r.status + " " + document.get("error");
    }

    static void assertNoTrace(String body) {
        assertFalse("a stack frame: " + body, body.contains("\tat ") || body.matches("(?s).*\\bat [\\w$.]+\\(.*"));
        assertFalse("an exception's class: " + body, body.contains("Exception"));
    }

    private String seedAnswer() throws Exception {
        return get("/storport/api/msgid/nvme0/5").body();
    }

    @Test
    public void badSeedCallsAnswer200WithTheStatusAsTheShellDoes() throws Exception {
        String good = seedAnswer();
        assertEquals("200 " + P + ": processor index 'abc' is not a number", error(get("/storport/api/msgid/nvme0/abc")));
        assertEquals("200 " + P + ": processor index '' is not a number", error(get("/storport/api/msgid/nvme0/")));
        assertEquals("200 " + P + ": processor index -1 is outside 0..79", error(get("/storport/api/msgid/nvme0/-1")));
        assertEquals("200 " + P + ": processor index 99999999999999999999 is outside 0..79",
                error(get("/storport/api/msgid/nvme0/99999999999999999999")));
        assertEquals("200 " + P + ": processor index '\u0665' is not a number", error(get("/storport/api/msgid/nvme0/\u0665")));
        assertEquals("200 " + P + ": unknown adapter 'nope' on backend sim (adapters: nvme0, sparse)",
                error(get("/storport/api/msgid/nope/0")));
        assertEquals(good, seedAnswer());
    }

    @Test
    public void unknownAdaptersAndCallsAre404() throws Exception {
        assertEquals("404 " + P + ": unknown adapter '' on backend sim (adapters: nvme0, sparse)", error(get("/storport/api/map/")));
        assertEquals("404 " + P + ": unknown adapter 'nope' on backend sim (adapters: nvme0, sparse)",
                error(get("/storport/api/messages/nope")));
        assertEquals("404 " + P + ": no such call: api/msgid/nvme0 (calls: adapters, map/ADAPTER, messages/ADAPTER, topology, findings, "
                + "rates/ADAPTER, compare/ADAPTER?policies=P,P, events, backend, hosts?finding=CODE, msgid/ADAPTER/INDEX, version)", error(get("/storport/api/msgid/nvme0")));
        assertEquals("404 " + P + ": unknown adapter 'nope' on backend sim (adapters: nvme0, sparse)", error(get("/storport/api/rates/nope")));
        assertEquals("404 " + P + ": no such resource: ../ConsolePlugin.class", error(get("/storport/res/../ConsolePlugin.class")));
    }

    /** api/hosts is storport:hosts --json (one producer), ?finding=CODE its filter; without a fleet, why not. */
    @Test
    public void theFleetIsHostsJsonOrWhyThereIsNone() throws Exception {
        assertEquals("503 STOR_STATUS_INVALID_DEVICE_STATE: this storport holds no fleet (STORPORT_FLEET_ROLE=console or both)",
                error(get("/storport/api/hosts")));
        storport.api.fleet.FleetHost a = new storport.api.fleet.FleetHost("a", true, java.time.Instant.parse("2026-12-02T14:00:00Z"),
                "native", 1, Map.of("error", 0, "warning", 1, "info", 0), Map.of("cross-node", 1), "");
        storport.api.fleet.FleetHost b = new storport.api.fleet.FleetHost("b", false, null, "", -1, Map.of(), Map.of(), "");
        plugin.fleet = new storport.api.fleet.Fleet() {
            @Override
            public List<storport.api.fleet.FleetHost> hosts() {
                return List.of(a, b);
            }

            @Override
            public String connection() {
                return "connected to ssl://broker:8883";
            }

            @Override
            public boolean connected() {
                return true;
            }
        };
        Http.Response all = get("/storport/api/hosts");
        assertEquals(200, all.status);
        assertEquals(storport.view.Documents.Hosts.of(plugin.fleet).json(), all.body());
        Http.Request q = new Http.Request(client, "GET", "/system/console/storport/api/hosts");
        q.pathInfo = "/storport/api/hosts";
        q.parameters.put("finding", "cross-node");
        Http.Response filtered = new Http.Response();
        plugin.doGet(q.proxy(), filtered.proxy());
        assertEquals("{\"connection\":\"connected to ssl://broker:8883\",\"hosts\":[{\"host\":\"a\",\"online\":true,"
                + "\"lastSeen\":\"2026-12-02T14:00:00Z\",\"backend\":\"native\",\"adapters\":1,\"findings\":{\"error\":0,"
                + "\"warning\":1,\"info\":0},\"codes\":{\"cross-node\":1},\"refused\":\"\"}]}\n", filtered.body());
    }

    @Test
    public void badBackendSwitchesAre400AndSwitchNothing() throws Exception {
        String token = get("/storport/api/backend").headers.get(ConsolePlugin.CSRF_HEADER);
        for (String[] c : new String[][] { { "nope", "400 " + P + ": unknown backend 'nope' (available: sim)" },
            { null, "400 " + P + ": no backend given" }, { "", "400 " + P + ": no backend given" } }) {
            Http.Request q = new Http.Request(client, "POST", "/system/console/storport/api/backend");
            q.pathInfo = "/storport/api/backend";
            q.header(ConsolePlugin.CSRF_HEADER, token);
            if (c[0] != null) {
                q.param("name", c[0]);
            }
            Http.Response r = new Http.Response();
            plugin.doPost(q.proxy(), r.proxy());
            assertEquals(c[1], error(r));
        }
        assertEquals("nothing switched", List.of(), selected);
    }

    /**
     * A body or query that is not URL-encoded UTF-8 makes the container throw from getParameter;
     * the security provider sees every console request first and answers 400 itself.
     */
    @Test
    public void malformedParametersAre400BeforeAnyServletReadsThem() {
        ConsoleSecurity security = Http.security(new ArrayList<>());
        for (String uri : new String[] { ConsoleSecurity.LOGIN, "/system/console/storport/api/backend", "/system/console/configMgr/x" }) {
            Http.Request base = new Http.Request(client, "POST", uri).header("Origin", "http://127.0.0.1:8181");
            Http.Response r = new Http.Response();
            assertNull(uri, security.authenticate(malformed(base.proxy()), r.proxy()));
            assertEquals(uri, "400 " + P + ": the request's parameters are not valid URL-encoded UTF-8", error(r));
            assertNull("no session was made", client.session);
        }
    }

    /** The request with Jetty's behaviour on a form that does not decode. */
    private static HttpServletRequest malformed(HttpServletRequest request) {
        return (HttpServletRequest) Proxy.newProxyInstance(ConsoleBadInputTest.class.getClassLoader(), new Class<?>[] { HttpServletRequest.class },
                (p, m, a) -> {
                    if (m.getName().startsWith("getParameter")) {
                        // what Jetty's Request.getParameters throws (BadMessageException, a RuntimeException)
                        throw new IllegalStateException("400: Unable to parse form content");
                    }
                    try {
                        return m.invoke(request, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Test;

import storport.api.backend.BackendInfo;
import storport.api.backend.Backends;
import storport.api.Host;
import storport.api.StorPortException;
import storport.view.Documents;

public class ConsolePluginTest {
    private final ConsolePlugin plugin = new ConsolePlugin();
    private final Http.Client client = new Http.Client();
    private final List<String> selected = new ArrayList<>();
    private String active = "sim";

    @Before
    public void bind() {
        plugin.storport = Hosts.storport(Hosts.default80());
        plugin.changes = new ChangeTracker();
        plugin.backends = new Backends() {
            @Override
            public List<BackendInfo> backends() {
                return List.of(new BackendInfo("native", true, "", active.equals("native"), active.equals("native")),
                        new BackendInfo("sim", true, "", active.equals("sim"), active.equals("sim")));
            }

            @Override
            public String active() {
                return active;
            }

            @Override
            public String preferred() {
                return active;
            }

            @Override
            public void select(String name) {
                if (!"sim".equals(name) && !"native".equals(name)) {
                    throw StorPortException.invalidParameter("unknown backend '" + name + "'");
                }
                selected.add(name);
                active = name;
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

    private Http.Response post(String path, String token, String name) throws Exception {
        Http.Request q = new Http.Request(client, "POST", "/system/console" + path);
        q.pathInfo = path;
        if (token != null) {
            q.header(ConsolePlugin.CSRF_HEADER, token);
        }
        if (name != null) {
            q.param("name", name);
        }
        Http.Response r = new Http.Response();
        plugin.doPost(q.proxy(), r.proxy());
        return r;
    }

    @Test
    public void theJsonCallsAnswerWithTheShellsDocuments() throws Exception {
        Host host = Hosts.default80();
        Http.Response adapters = get("/storport/api/adapters");
        assertEquals(200, adapters.status);
        assertEquals("application/json;charset=utf-8", adapters.contentType);
        assertEquals(new Documents.Adapters(host).json(), adapters.body());
        assertEquals(new Documents.AdapterMap(host, host.adapter("nvme0")).json(), get("/storport/api/map/nvme0").body());
        assertEquals("by alias", new Documents.AdapterMap(host, host.adapter("nvme0")).json(), get("/storport/api/map/0000:00:02.0").body());
        assertEquals(new Documents.Messages(host, host.adapter("sparse")).json(), get("/storport/api/messages/sparse").body());
        assertEquals(new Documents.TopologyView(host).json(), get("/storport/api/topology").body());
        assertEquals("{\"active\":\"sim\",\"preferred\":\"sim\",\"backends\":[{\"name\":\"native\",\"available\":true,\"reason\":\"\","
                + "\"active\":false,\"preferred\":false},{\"name\":\"sim\",\"available\":true,\"reason\":\"\",\"active\":true,"
                + "\"preferred\":true}]}\n", get("/storport/api/backend").body());
    }

    @Test
    public void unknownThingsAre404AndTheSeedCallAlwaysAnswers() throws Exception {
        Http.Response unknown = get("/storport/api/map/nvme7");
        assertEquals(404, unknown.status);
        assertTrue(unknown.body(), unknown.body().contains("unknown adapter 'nvme7' on backend sim"));
        assertEquals(404, get("/storport/api/nothing").status);
        assertEquals(404, get("/storport/elsewhere").status);
        assertEquals(404, get("/storport/res/../../secret").status);

        Http.Response ok = get("/storport/api/msgid/nvme0/5");
        assertEquals(200, ok.status);
        assertEquals("{\"backend\":\"sim\",\"adapter\":\"nvme0\",\"index\":5,\"status\":\"STOR_STATUS_SUCCESS\",\"code\":\"0x00000000\","
                + "\"message\":3}\n", ok.body());
        Http.Response bad = get("/storport/api/msgid/nvme0/80");
        assertEquals(200, bad.status);
        assertEquals("{\"status\":\"STOR_STATUS_INVALID_PARAMETER\",\"code\":\"0xC1000006\",\"reason\":\"processor index 80 is outside 0..79\","
                + "\"error\":\"STOR_STATUS_INVALID_PARAMETER: processor index 80 is outside 0..79\"}\n", bad.body());
        assertTrue(get("/storport/api/msgid/sparse/50").body().contains("\"status\":\"STOR_STATUS_UNSUCCESSFUL\""));
    }

    @Test
    public void withoutABackendTheCallsSay503() throws Exception {
        plugin.storport = null;
        Http.Response r = get("/storport/api/adapters");
        assertEquals(503, r.status);
        assertTrue(r.body(), r.body().contains("STOR_STATUS_INVALID_DEVICE_STATE: no storport backend is registered"));
    }

    @Test
    public void thePageAndItsScriptAreServed() throws Exception {
        Http.Response page = get("/storport");
        assertEquals("the page is left to the Web Console's frame (nothing set)", 200, page.status);
        assertNull(page.contentType);
        Http.Response js = get("/storport/res/storport.js");
        assertEquals("text/javascript;charset=utf-8", js.contentType);
        assertTrue(js.body().contains("window.storportMap"));
        assertEquals("text/css;charset=utf-8", get("/storport/res/storport.css").contentType);

        Http.Request q = new Http.Request(client, "GET", "/system/console/storport");
        q.attributes.put("felix.webconsole.pluginRoot", "/system/console/storport");
        q.attributes.put("felix.webconsole.appRoot", "/system/console");
        Http.Response r = new Http.Response();
        plugin.renderContent(q.proxy(), r.proxy());
        String html = r.body();
        String token = (String) client.session.attributes.get(ConsoleSecurity.CSRF_ATTRIBUTE);
        assertTrue(html, html.contains("data-csrf='" + token + "'"));
        assertTrue(html, html.contains("<canvas id='sp-heatmap'"));
        assertTrue(html, html.contains("<a id='sp-config-link' href='/system/console/configMgr'>"));
        assertTrue(html, html.contains("<script src='/system/console/storport/res/storport.js'></script>"));
        assertFalse("no template variables for the Web Console to replace", html.contains("${"));
    }

    @Test
    public void switchingNeedsPostAndTheSessionsToken() throws Exception {
        Http.Response first = get("/storport/api/backend");
        String token = first.headers.get(ConsolePlugin.CSRF_HEADER);
        assertEquals(token, client.session.attributes.get(ConsoleSecurity.CSRF_ATTRIBUTE));

        assertEquals(403, post("/storport/api/backend", null, "native").status);
        assertEquals(403, post("/storport/api/backend", "wrong", "native").status);
        assertEquals(403, post("/storport/api/backend", token + "x", "native").status);
        assertEquals(405, post("/storport/api/adapters", token, "native").status);
        Http.Request sneaky = new Http.Request(client, "GET", "/system/console/storport/api/backend").param("name", "native");
        sneaky.pathInfo = "/storport/api/backend";
        Http.Response shown = new Http.Response();
        plugin.doGet(sneaky.proxy(), shown.proxy());
        assertTrue("a GET only shows", shown.body().startsWith("{\"active\":\"sim\""));
        assertTrue("nothing switched", selected.isEmpty());

        Http.Response ok = post("/storport/api/backend", token, "native");
        assertEquals(200, ok.status);
        assertEquals(List.of("native"), selected);
        assertTrue(ok.body(), ok.body().startsWith("{\"active\":\"native\""));
        Http.Response unknown = post("/storport/api/backend", token, "nope");
        assertEquals(400, unknown.status);
        assertTrue(unknown.body().contains("unknown backend 'nope'"));

        Http.Client other = new Http.Client();
        Http.Request q = new Http.Request(other, "POST", "/system/console/storport/api/backend");
        q.pathInfo = "/storport/api/backend";
        q.header(ConsolePlugin.CSRF_HEADER, token).param("name", "sim");
        Http.Response r = new Http.Response();
        plugin.doPost(q.proxy(), r.proxy());
        assertEquals("another session's token is no token", 403, r.status);
        assertEquals(List.of("native"), selected);
    }

    @Test
    public void theVersionMovesWhenTheHostChanges() throws Exception {
        String v1 = get("/storport/api/version").body();
        assertEquals(v1, get("/storport/api/version").body());
        plugin.changes.bindStorport(Hosts.storport(Hosts.awkward()));
        String v2 = get("/storport/api/version").body();
        assertNotEquals(v1, v2);
        assertEquals(v2, get("/storport/api/version").body());
    }
}

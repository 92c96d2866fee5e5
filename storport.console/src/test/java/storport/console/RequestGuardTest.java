package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class RequestGuardTest {
    private final Http.Client client = new Http.Client();

    private static String foreign(RequestGuard guard, String host, String localAddr, int localPort) {
        Http.Request q = new Http.Request(new Http.Client(), "GET", "/system/console/storport");
        q.localAddr = localAddr;
        q.localPort = localPort;
        if (host == null) {
            q.headers.remove("Host");
        } else {
            q.header("Host", host);
        }
        return guard.foreignHost(q.proxy());
    }

    @Test
    public void aLoopbackBindAnswersToItsLoopbackNamesOnly() {
        RequestGuard guard = new RequestGuard((String) null);
        for (String own : new String[] { "127.0.0.1:8181", "localhost:8181", "LOCALHOST:8181", "localhost.:8181", "[::1]:8181" }) {
            assertNull(own, foreign(guard, own, "127.0.0.1", 8181));
        }
        // DNS rebinding: a name of another site that resolves here
        String rebound = foreign(guard, "evil.example:8181", "127.0.0.1", 8181);
        assertTrue(rebound, rebound.startsWith("Host 'evil.example:8181' is not this console (it answers as 127.0.0.1:8181)"));
        for (String other : new String[] { "evil.example", "127.0.0.1", "127.0.0.1:8182", "localhost:80", "127.0.0.1:abc", "127.0.0.1:",
                "[::1", "[::1]x", "10.0.0.5:8181", "localhost.evil.example:8181", "" }) {
            assertTrue(other, foreign(guard, other, "127.0.0.1", 8181) != null);
        }
        assertEquals("a request without a Host header is refused", foreign(guard, null, "127.0.0.1", 8181));
    }

    @Test
    public void aWildcardBindAnswersToTheAddressTheRequestCameInOnAndTheOperatorsNames() {
        RequestGuard guard = new RequestGuard(" Storport.Example.COM , db17 ");
        assertNull(foreign(guard, "10.1.2.3:8181", "10.1.2.3", 8181));
        assertNull(foreign(guard, "storport.example.com:8181", "10.1.2.3", 8181));
        assertNull(foreign(guard, "DB17:8181", "10.1.2.3", 8181));
        assertTrue(foreign(guard, "localhost:8181", "10.1.2.3", 8181) != null);
        assertTrue(foreign(guard, "10.1.2.4:8181", "10.1.2.3", 8181) != null);
        assertTrue(foreign(guard, "storport.example.com:9999", "10.1.2.3", 8181) != null);
        assertNull(foreign(guard, "[fe80::1]:8181", "fe80:0:0:0:0:0:0:1", 8181));
    }

    @Test
    public void aForeignHostGets421BeforeAnythingElseAndEveryAnswerItsHeaders() throws Exception {
        RequestGuard guard = new RequestGuard((String) null);
        Http.Response r = new Http.Response();
        assertFalse(guard.admit(new Http.Request(client, "GET", "/system/console/storport").header("Host", "evil.example:8181").proxy(), r.proxy()));
        assertEquals(421, r.status);
        assertTrue(r.body(), r.body().startsWith("{\"status\":\"STOR_STATUS_ACCESS_DENIED\""));
        assertEquals(SecurityHeaders.STORPORT_POLICY, r.headers.get("Content-Security-Policy"));
        assertEquals("nosniff", r.headers.get("X-Content-Type-Options"));
        assertEquals("SAMEORIGIN", r.headers.get("X-Frame-Options"));
        Http.Response ok = new Http.Response();
        assertTrue(guard.admit(new Http.Request(client, "GET", "/system/console/storport").proxy(), ok.proxy()));
        assertEquals("SAMEORIGIN", ok.headers.get("X-Frame-Options"));
        assertEquals("no-store", ok.headers.get("Cache-Control"));
    }

    @Test
    public void storportsPageRunsNoInlineScriptAndOnlyStaticResourcesMayBeCached() throws Exception {
        RequestGuard guard = new RequestGuard((String) null);
        for (String path : new String[] { "/system/console/storport", "/system/console/storport/api/map/nvme0", "/system/console/storport/res/storport.js" }) {
            Http.Response r = new Http.Response();
            guard.admit(new Http.Request(client, "GET", path).proxy(), r.proxy());
            String csp = r.headers.get("Content-Security-Policy");
            assertTrue(path + ": " + csp, csp.contains("script-src 'self';"));
            assertFalse(path + ": " + csp, csp.contains("script-src 'self' 'unsafe-inline'"));
        }
        Http.Response webConsole = new Http.Response();
        guard.admit(new Http.Request(client, "GET", "/system/console/bundles").proxy(), webConsole.proxy());
        assertEquals("the Web Console's own pages are built on inline scripts", SecurityHeaders.WEB_CONSOLE_POLICY,
                webConsole.headers.get("Content-Security-Policy"));
        assertEquals("no-store", webConsole.headers.get("Cache-Control"));
        Http.Response resource = new Http.Response();
        guard.admit(new Http.Request(client, "GET", "/system/console/res/lib/jquery-3.6.1.js").proxy(), resource.proxy());
        assertNull(resource.headers.get("Cache-Control"));
    }

    @Test
    public void aMalformedAcceptLanguageOrBundleFilterIs400() throws Exception {
        RequestGuard guard = new RequestGuard((String) null);
        for (String good : new String[] { "en", "en-US,en;q=0.9", "de-CH, de;q=0.8, *;q=0.1", "*", "fr;q=1.0" }) {
            assertTrue(good, guard.admit(new Http.Request(client, "GET", "/system/console/bundles").header("Accept-Language", good).proxy(),
                    new Http.Response().proxy()));
        }
        for (String bad : new String[] { "\"x", "en;q=2", "en US", "<script>", "en;q=0.5;x" }) {
            Http.Response r = new Http.Response();
            assertFalse(bad, guard.admit(new Http.Request(client, "GET", "/system/console/bundles").header("Accept-Language", bad).proxy(),
                    r.proxy()));
            assertEquals(bad, 400, r.status);
            assertTrue(r.body(), r.body().contains("the Accept-Language header is not a list of language tags"));
        }
        Http.Response r = new Http.Response();
        assertFalse(guard.admit(new Http.Request(client, "GET", "/system/console/bundles").param("filter", "(").proxy(), r.proxy()));
        assertEquals(400, r.status);
        assertTrue(r.body(), r.body().contains("filter '(' is not an LDAP filter"));
        assertTrue(guard.admit(new Http.Request(client, "GET", "/system/console/bundles").param("filter", "(a=b)").proxy(),
                new Http.Response().proxy()));
        assertTrue("other pages' filter parameters are theirs", guard.admit(new Http.Request(client, "GET", "/system/console/storport")
                .param("filter", "(").proxy(), new Http.Response().proxy()));
    }
}

package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

public class ConsoleSecurityTest {
    private final ConsoleSecurity security = new ConsoleSecurity();
    private final Http.Client client = new Http.Client();

    @Before
    public void credentials() {
        Credentials c = new Credentials(Map.of(Credentials.ENV, "pw")::get);
        c.load(null);
        security.credentials = c;
    }

    private Object call(Http.Request request, Http.Response response) {
        return security.authenticate(request.proxy(), response.proxy());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void withoutLoginAnApiCallGets401Json() {
        Http.Response r = new Http.Response();
        assertNull(call(new Http.Request(client, "GET", "/system/console/storport/api/adapters"), r));
        assertEquals(401, r.status);
        assertTrue(r.body(), r.body().startsWith("{\"status\":\"STOR_STATUS_ACCESS_DENIED\""));
        assertTrue(r.headers.get("WWW-Authenticate"), r.headers.get("WWW-Authenticate").startsWith("Form realm="));
    }

    @Test
    public void withoutLoginAPageGets401AndTheLoginForm() {
        Http.Response r = new Http.Response();
        Http.Request q = new Http.Request(client, "GET", "/system/console/configMgr").header("Accept", "text/html,*/*");
        q.query = "a=1";
        assertNull(call(q, r));
        assertEquals(401, r.status);
        assertTrue(r.body(), r.body().contains("<form id='storport-login' method='post' action='/system/console/login'>"));
        assertTrue(r.body(), r.body().contains("name='target' value='/system/console/configMgr?a=1'"));
    }

    @Test
    public void basicAuthWithTheRightPasswordOnly() {
        Http.Response r = new Http.Response();
        assertEquals("admin", call(new Http.Request(client, "GET", "/system/console/bundles").header("Authorization", basic("admin", "pw")), r));
        for (String[] wrong : new String[][] { { "admin", "admin" }, { "admin", "pw2" }, { "root", "pw" }, { "admin", "" } }) {
            Http.Response denied = new Http.Response();
            assertNull(call(new Http.Request(client, "GET", "/system/console/bundles").header("Authorization", basic(wrong[0], wrong[1])),
                    denied));
            assertEquals(401, denied.status);
        }
        Http.Response garbage = new Http.Response();
        assertNull(call(new Http.Request(client, "GET", "/system/console/bundles").header("Authorization", "Basic %%%"), garbage));
        assertEquals(401, garbage.status);
    }

    @Test
    public void formLoginMakesAFreshSessionWithACsrfTokenAndRedirects() {
        Http.FakeSession before = new Http.FakeSession();
        before.attributes.put("x", "y");
        client.session = before;
        Http.Response r = new Http.Response();
        assertNull(call(new Http.Request(client, "POST", ConsoleSecurity.LOGIN).header("Origin", "http://127.0.0.1:8181")
                .param("username", "admin").param("password", "pw").param("target", "/system/console/storport?adapter=sas0"), r));
        assertEquals(303, r.status);
        assertEquals("/system/console/storport?adapter=sas0", r.headers.get("Location"));
        assertTrue("the old session is gone", before.invalid);
        assertNotSame(before, client.session);
        assertEquals("admin", client.session.attributes.get(ConsoleSecurity.USER_ATTRIBUTE));
        String token = (String) client.session.attributes.get(ConsoleSecurity.CSRF_ATTRIBUTE);
        assertNotNull(token);
        assertTrue(token, token.length() >= 40);

        Http.Response next = new Http.Response();
        assertEquals("the session logs in", "admin", call(new Http.Request(client, "GET", "/system/console/storport/api/adapters"), next));

        security.logout(new Http.Request(client, "GET", "/system/console/logout").proxy(), new Http.Response().proxy());
        Http.Response after = new Http.Response();
        assertNull(call(new Http.Request(client, "GET", "/system/console/storport/api/adapters"), after));
        assertEquals(401, after.status);
    }

    @Test
    public void aWrongPasswordShowsTheFormAgain() {
        Http.Response r = new Http.Response();
        assertNull(call(new Http.Request(client, "POST", ConsoleSecurity.LOGIN).param("username", "admin").param("password", "admin"), r));
        assertEquals(401, r.status);
        assertTrue(r.body(), r.body().contains("id='login-error'"));
        assertNull(client.session);
    }

    @Test
    public void crossSiteRequestsAreRefusedEvenWhenLoggedIn() {
        client.session = new Http.FakeSession();
        client.session.attributes.put(ConsoleSecurity.USER_ATTRIBUTE, "admin");
        String api = "/system/console/storport/api/backend";
        assertEquals(403, refused(new Http.Request(client, "POST", api).header("Origin", "http://evil.example")));
        assertEquals(403, refused(new Http.Request(client, "POST", api).header("Origin", "null")));
        assertEquals(403, refused(new Http.Request(client, "POST", api).header("Origin", "http://127.0.0.1:9999")));
        assertEquals(403, refused(new Http.Request(client, "POST", api).header("Referer", "http://evil.example/x")));
        assertEquals(403, refused(new Http.Request(client, "POST", api).header("Sec-Fetch-Site", "cross-site")));
        assertEquals(403, refused(new Http.Request(client, "POST", "/system/console/configMgr/x").header("Origin", "http://evil.example")));
        assertEquals("a script of another site may not read the API", 403,
                refused(new Http.Request(client, "GET", api).header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Mode", "cors")));
        assertEquals(403, refused(new Http.Request(client, "GET", "/system/console/storport/res/storport.js").header("Sec-Fetch-Site",
                "same-site").header("Sec-Fetch-Mode", "no-cors").header("Sec-Fetch-Dest", "script")));
        assertEquals(403, refused(new Http.Request(client, "POST", ConsoleSecurity.LOGIN).header("Origin", "http://evil.example")
                .param("username", "admin").param("password", "pw")));

        // what a browser does on this origin, and a link from elsewhere to a page
        assertEquals("admin", call(new Http.Request(client, "POST", api).header("Origin", "http://127.0.0.1:8181")
                .header("Sec-Fetch-Site", "same-origin"), new Http.Response()));
        assertEquals("admin", call(new Http.Request(client, "POST", api).header("Referer", "http://127.0.0.1:8181/system/console/storport"),
                new Http.Response()));
        assertEquals("admin", call(new Http.Request(client, "GET", "/system/console/storport").header("Sec-Fetch-Site", "cross-site")
                .header("Sec-Fetch-Mode", "navigate").header("Sec-Fetch-Dest", "document"), new Http.Response()));
    }

    private int refused(Http.Request request) {
        Http.Response r = new Http.Response();
        assertNull(call(request, r));
        assertTrue(r.body(), r.body().contains("cross-site request refused"));
        return r.status;
    }

    @Test
    public void afterLoginOnlyConsolePathsAreTargets() {
        assertEquals("/system/console/storport", ConsoleSecurity.target(null));
        assertEquals("/system/console/configMgr", ConsoleSecurity.target("/system/console/configMgr"));
        for (String bad : new String[] { "//evil.example/", "http://evil.example/system/console/x", "/system/console//evil.example",
                "/system/console/\\evil", "/system/console/login", "/elsewhere", "/system/console/x\r\nSet-Cookie: a=b" }) {
            assertEquals(bad, "/system/console/storport", ConsoleSecurity.target(bad));
        }
    }

    @Test
    public void htmlEscaping() {
        assertEquals("&lt;a href=&#39;x&#39;&gt;&amp;&quot;", ConsoleSecurity.html("<a href='x'>&\""));
    }
}

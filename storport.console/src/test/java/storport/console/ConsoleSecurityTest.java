package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Base64;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

public class ConsoleSecurityTest {
    private final ConsoleSecurity security = new ConsoleSecurity();
    private final Http.Client client = new Http.Client();
    private final List<String> logged = new ArrayList<>();

    @Before
    public void credentials() {
        Credentials c = new Credentials(Map.of(Credentials.ENV, "pw")::get);
        c.load(null);
        security.credentials = c;
        security.log = Http.logger(logged);
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

        Http.Response out = new Http.Response();
        assertNull(call(new Http.Request(client, "POST", ConsoleSecurity.LOGOUT).header("Origin", "http://127.0.0.1:8181")
                .param("csrf", token), out));
        assertEquals(303, out.status);
        assertEquals(ConsoleSecurity.LOGIN, out.headers.get("Location"));
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

    /** A refused request whose body was not read: the connection closes after the answer, and the answer says so. */
    @Test
    public void aRefusedRequestWithABodySaysTheConnectionCloses() {
        client.session = new Http.FakeSession();
        client.session.attributes.put(ConsoleSecurity.USER_ATTRIBUTE, "admin");
        Http.Response withBody = new Http.Response();
        assertNull(call(new Http.Request(client, "POST", "/system/console/storport/api/backend").header("Origin", "http://evil.example")
                .header("Content-Length", "11"), withBody));
        assertEquals(403, withBody.status);
        assertEquals("close", withBody.headers.get("Connection"));
        Http.Response without = new Http.Response();
        assertNull(call(new Http.Request(client, "GET", "/system/console/storport/api/backend").header("Sec-Fetch-Site", "cross-site")
                .header("Sec-Fetch-Mode", "cors"), without));
        assertEquals(403, without.status);
        assertNull("nothing unread: the connection stays", without.headers.get("Connection"));
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

    private String loggedIn() {
        client.session = new Http.FakeSession();
        client.session.attributes.put(ConsoleSecurity.USER_ATTRIBUTE, "admin");
        return ConsoleSecurity.csrfToken(client.session.proxy());
    }

    @Test
    public void logoutOnlyByPostWithTheToken() {
        String token = loggedIn();
        // a cross-site link (a top-level GET navigation) ends nothing: it gets a page whose button POSTs the token
        Http.Response page = new Http.Response();
        assertNull(call(new Http.Request(client, "GET", ConsoleSecurity.LOGOUT).header("Sec-Fetch-Site", "cross-site")
                .header("Sec-Fetch-Mode", "navigate").header("Sec-Fetch-Dest", "document"), page));
        assertEquals(200, page.status);
        assertTrue(page.body(), page.body().contains("method='post' action='" + ConsoleSecurity.LOGOUT + "'"));
        assertTrue(page.body(), page.body().contains("name='csrf' value='" + token + "'"));
        assertEquals("no-store", page.headers.get("Cache-Control"));
        assertEquals("admin", client.session.attributes.get(ConsoleSecurity.USER_ATTRIBUTE));
        // POST without the token, with a wrong one, or with the token in the URL: refused, still logged in
        for (Http.Request q : List.of(new Http.Request(client, "POST", ConsoleSecurity.LOGOUT),
                new Http.Request(client, "POST", ConsoleSecurity.LOGOUT).param("csrf", "nope"),
                queryToken(new Http.Request(client, "POST", ConsoleSecurity.LOGOUT), token))) {
            Http.Response r = new Http.Response();
            assertNull(call(q, r));
            assertEquals(r.body(), 403, r.status);
            assertEquals("admin", client.session.attributes.get(ConsoleSecurity.USER_ATTRIBUTE));
        }
        Http.Response r = new Http.Response();
        assertNull(call(new Http.Request(client, "POST", ConsoleSecurity.LOGOUT).header(ConsolePlugin.CSRF_HEADER, token), r));
        assertEquals(303, r.status);
        assertTrue(client.session == null || client.session.invalid);
    }

    private static Http.Request queryToken(Http.Request q, String token) {
        q.query = "csrf=" + token;
        q.param("csrf", token);
        return q;
    }

    @Test
    public void theCsrfTokenCountsFromTheHeaderOrTheFormBodyOnly() {
        String token = loggedIn();
        Http.Request header = new Http.Request(client, "POST", "/x").header(ConsolePlugin.CSRF_HEADER, token);
        assertTrue(ConsoleSecurity.validToken(header.proxy()));
        assertTrue(ConsoleSecurity.validToken(new Http.Request(client, "POST", "/x").param("csrf", token).proxy()));
        assertFalse(ConsoleSecurity.validToken(queryToken(new Http.Request(client, "POST", "/x"), token).proxy()));
        Http.Request encoded = new Http.Request(client, "POST", "/x").param("csrf", token);
        encoded.query = "a=1&%63srf=" + token;
        assertFalse(ConsoleSecurity.validToken(encoded.proxy()));
        assertFalse(ConsoleSecurity.validToken(new Http.Request(client, "POST", "/x").param("csrf", token + "x").proxy()));
    }

    @Test
    public void aPasswordWithTrailingNulsIsWrong() {
        assertEquals("admin", call(new Http.Request(client, "GET", "/system/console/bundles").header("Authorization", basic("admin", "pw")),
                new Http.Response()));
        for (String padded : new String[] { "pw\0", "pw\0\0\0", "\0pw" }) {
            Http.Response r = new Http.Response();
            assertNull(call(new Http.Request(client, "GET", "/system/console/bundles").header("Authorization", basic("admin", padded)), r));
            assertEquals(401, r.status);
        }
    }

    @Test
    public void wrongPasswordsAreThrottledPerAddressAndLogged() {
        for (int i = 1; i <= LoginThrottle.FREE_FAILURES; i++) {
            Http.Response r = new Http.Response();
            assertNull(call(new Http.Request(client, "POST", ConsoleSecurity.LOGIN).param("username", "admin").param("password", "x" + i), r));
            assertEquals("wrong password " + i, 401, r.status);
        }
        Http.Response sixth = new Http.Response();
        assertNull(call(new Http.Request(client, "POST", ConsoleSecurity.LOGIN).param("username", "admin").param("password", "x6"), sixth));
        assertEquals(401, sixth.status);
        Http.Response held = new Http.Response();
        assertNull(call(new Http.Request(client, "POST", ConsoleSecurity.LOGIN).param("username", "admin").param("password", "pw"), held));
        assertEquals("even the right password waits out the back-off", 429, held.status);
        assertEquals("an attempt while held back doubles the wait", "2", held.headers.get("Retry-After"));
        assertTrue(held.body(), held.body().contains("too many wrong passwords from this address"));
        Http.Response basic = new Http.Response();
        assertNull(call(new Http.Request(client, "GET", "/system/console/bundles").header("Authorization", basic("admin", "y")), basic));
        assertEquals(429, basic.status);
        assertTrue(basic.body(), basic.body().startsWith("{\"status\":\"STOR_STATUS_BUSY\""));
        // another address logs in at once
        Http.Request other = new Http.Request(new Http.Client(), "GET", "/system/console/bundles").header("Authorization", basic("admin", "pw"));
        other.remoteAddr = "127.0.0.2";
        assertEquals("admin", call(other, new Http.Response()));
        assertEquals(logged.toString(), 6, logged.stream().filter(l -> l.contains("wrong password for user 'admin' from 127.0.0.1")).count());
        assertTrue(logged.toString(), logged.stream().anyMatch(l -> l.contains("login from 127.0.0.1 held back 2 s")));
        assertTrue(logged.toString(), logged.get(5).contains("the address waits 1 s"));
    }
}

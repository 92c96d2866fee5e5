package storport.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import storport.api.backend.BackendInfo;
import storport.api.backend.Backends;
import storport.api.StorPortException;

/**
 * Locked down (RELIABILITY.md): the console's guard ({@link ConsoleSecurity}) and its plugin
 * ({@link ConsolePlugin}) under fuzzed requests, dispatched as the Web Console dispatches them
 * (the security provider first; the plugin only for an authenticated user). Paths (encoded
 * {@code ..}, {@code %00}, long, unicode), methods, headers (Origin, Referer, fetch metadata,
 * Authorization and cookies, CSRF tokens) and bodies come from the fuzzer:
 * <ul>
 * <li>without a valid credential, the plugin is never reached and the answer is 401/403/405 with no data;</li>
 * <li>logged in without the session's token (or cross-site), nothing changes the backend: 403 (405 for what is not served);</li>
 * <li>logged in with the token, garbage gets a 4xx with a STOR_STATUS reason;</li>
 * <li>no answer is a 5xx, none shows a stack trace, nothing throws out of the console.</li>
 * </ul>
 * LockdownIT fuzzes the real product (Jetty and the Web Console) the same way.
 */
class ConsoleLockdownFuzzTest {
    private static final String PASSWORD = "s3cret-Pw";
    private static final String[] METHODS = { "GET", "GET", "HEAD", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
        "get", "FOO" };
    private static final String[] ENDPOINTS = { ConsoleSecurity.HOME + "/api/backend", ConsoleSecurity.HOME + "/api/backend",
        ConsoleSecurity.HOME + "/api/adapters", ConsoleSecurity.HOME + "/api/map/nvme0", ConsoleSecurity.HOME + "/api/msgid/nvme0/5",
        ConsoleSecurity.HOME + "/api/version", ConsoleSecurity.HOME, ConsoleSecurity.HOME + "/res/storport.js", ConsoleSecurity.LOGIN,
        ConsoleSecurity.ROOT + "/logout", ConsoleSecurity.ROOT + "/configMgr/storport.sim.host", ConsoleSecurity.ROOT + "/bundles/1" };
    private static final String[] SEGMENTS = { "storport", "api", "res", "adapters", "map", "messages", "topology", "backend", "msgid",
        "version", "nvme0", "sas0", "0", "80", "-1", "abc", "..", "%2e%2e", ".%2e", "%00", "\u0000", "%2f", "\u00fc", "\ud83d\ude00",
        "storport.js", "login", "logout", "configMgr", "bundles", "", "a".repeat(3000) };
    private static final String[] ORIGINS = { "http://127.0.0.1:8181", "http://evil.example", "null", "", "http://127.0.0.1:8181.evil" };
    private static final String[] SITES = { "same-origin", "none", "cross-site", "same-site", "garbage" };
    private static final Pattern TRACE = Pattern.compile("(\\tat |Caused by: |\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z]\\w*(Exception|Error)\\b)");

    /**
     * The console's credentials, as stored in STORPORT_HOME, with the fewest PBKDF2 iterations the
     * stored format accepts: a wrong password costs the full derivation each time, and the fuzzer
     * sends many. Made once: loading is the same for every console.
     */
    private static final Credentials CREDENTIALS = credentials();

    private static Credentials credentials() {
        try {
            Path home = Files.createTempDirectory("console-fuzz");
            Credentials.store(home.resolve(Credentials.FILE), PasswordHash.create(PASSWORD, new SecureRandom(), 10_000));
            Credentials c = new Credentials(Map.<String, String>of()::get);
            c.load(home.toString());
            assertEquals(Credentials.Source.FILE, c.source());
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One console: its guard, its plugin, a backend choice that records every switch. */
    private static final class Console {
        final ConsoleSecurity security = new ConsoleSecurity();
        final ConsolePlugin plugin = new ConsolePlugin();
        final List<String> selected = new ArrayList<>();
        final Http.Client client = new Http.Client();
        int pluginCalls;

        Console() {
            security.credentials = CREDENTIALS;
            security.log = Http.logger(new ArrayList<>());
            plugin.storport = Hosts.storport(Hosts.default80());
            plugin.changes = new ChangeTracker();
            plugin.backends = new Backends() {
                @Override
                public List<BackendInfo> backends() {
                    return List.of(new BackendInfo("native", true, "", false, false), new BackendInfo("sim", true, "", true, true));
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
                    if (!"sim".equals(name) && !"native".equals(name)) {
                        throw StorPortException.invalidParameter("unknown backend '" + name + "'");
                    }
                    selected.add(name);
                }
            };
        }

        /** The Web Console's dispatch: the security provider, then (authenticated) the plugin for its label. */
        Http.Response serve(Http.Request q) throws Exception {
            Http.Response r = new Http.Response();
            Object user = security.authenticate(q.proxy(), r.proxy());
            if (user == null) {
                return r;
            }
            assertTrue(security.authorize(user, null));
            String path = q.uri.substring(ConsoleSecurity.ROOT.length());
            if (path.startsWith("/" + ConsolePlugin.LABEL)) {
                pluginCalls++;
                q.pathInfo = path;
                switch (q.method) {
                    case "GET", "HEAD" -> plugin.doGet(q.proxy(), r.proxy());
                    case "POST" -> plugin.doPost(q.proxy(), r.proxy());
                    default -> r.status = 405;   // HttpServlet's answer for the rest; the guard refuses them first
                }
            } else {
                r.status = 200;   // a Web Console page of its own
            }
            return r;
        }

        boolean loggedIn() {
            return client.session != null && !client.session.invalid && client.session.attributes.get(ConsoleSecurity.USER_ATTRIBUTE) != null;
        }

        String token() {
            return client.session == null ? null : (String) client.session.attributes.get(ConsoleSecurity.CSRF_ATTRIBUTE);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @FuzzTest(maxDuration = "30s")
    void requests(FuzzedDataProvider data) throws Exception {
        Console console = new Console();
        // a logged-in browser session, or none
        if (data.consumeBoolean()) {
            Http.Request login = new Http.Request(console.client, "POST", ConsoleSecurity.LOGIN).header("Origin", ORIGINS[0])
                    .param("username", "admin").param("password", PASSWORD).param("target", "/system/console/storport");
            assertEquals(303, console.serve(login).status);
            assertTrue(console.loggedIn());
        }
        int requests = data.consumeInt(1, 6);
        for (int i = 0; i < requests && data.remainingBytes() > 0; i++) {
            one(console, data);
        }
    }

    private static void one(Console console, FuzzedDataProvider data) throws Exception {
        String method = data.pickValue(METHODS);
        // a known endpoint half the time (the ones that matter most), else a path of fuzzed segments
        int shape = data.consumeInt(0, 3);
        StringBuilder uri = new StringBuilder(shape < 2 ? data.pickValue(ENDPOINTS) : data.consumeBoolean() ? ConsoleSecurity.ROOT : "");
        for (int n = shape == 0 ? 0 : data.consumeInt(0, shape == 1 ? 2 : 4); n > 0; n--) {
            uri.append('/').append(data.consumeBoolean() ? data.pickValue(SEGMENTS) : data.consumeString(40));
        }
        if (uri.length() == 0) {
            uri.append(ConsoleSecurity.ROOT);
        }
        String path = uri.toString();
        if (!path.startsWith(ConsoleSecurity.ROOT)) {
            path = ConsoleSecurity.ROOT + "/" + path;   // the Web Console only sees its own paths
        }
        Http.Request q = new Http.Request(console.client, method, path);
        if (data.consumeBoolean()) {
            q.query = data.consumeString(60);
        }
        boolean validBasic = false;
        switch (data.consumeInt(0, 3)) {
            case 0 -> {
            }
            case 1 -> {
                q.header("Authorization", basic("admin", PASSWORD));
                validBasic = true;
            }
            case 2 -> q.header("Authorization", basic(data.consumeString(20), data.consumeString(20)));
            default -> q.header("Authorization", data.consumeString(80));
        }
        if (data.consumeBoolean()) {
            q.header("Origin", data.consumeBoolean() ? data.pickValue(ORIGINS) : data.consumeString(40));
        }
        if (data.consumeBoolean()) {
            q.header("Referer", (data.consumeBoolean() ? data.pickValue(ORIGINS) : data.consumeString(40)) + "/system/console/storport");
        }
        if (data.consumeBoolean()) {
            q.header("Sec-Fetch-Site", data.pickValue(SITES));
            q.header("Sec-Fetch-Mode", data.consumeBoolean() ? "navigate" : "cors");
            q.header("Sec-Fetch-Dest", data.consumeBoolean() ? "document" : "empty");
        }
        if (data.consumeBoolean()) {
            q.header("Accept", data.consumeBoolean() ? "text/html" : data.consumeString(20));
        }
        String token = console.token();
        boolean validToken = false;
        switch (data.consumeInt(0, 2)) {
            case 0 -> {
            }
            case 1 -> {
                if (token != null) {
                    q.header(ConsolePlugin.CSRF_HEADER, token);
                    validToken = true;
                }
            }
            default -> q.header(ConsolePlugin.CSRF_HEADER, data.consumeString(44));
        }
        String name = data.consumeBoolean() ? data.pickValue(new String[] { "native", "sim" }) : data.consumeString(30);
        q.param("name", name);
        if (data.consumeBoolean()) {
            q.param("username", data.consumeBoolean() ? "admin" : data.consumeString(10));
            q.param("password", data.consumeBoolean() ? PASSWORD : data.consumeString(20));
            q.param("target", data.consumeString(60));
        }

        boolean loggedInBefore = console.loggedIn() || validBasic;
        boolean isLogin = path.equals(ConsoleSecurity.LOGIN);
        int callsBefore = console.pluginCalls;
        int selectedBefore = console.selected.size();
        String what = method + " " + path + " " + q.headers + " " + q.parameters;

        Http.Response r;
        try {
            r = console.serve(q);
        } catch (RuntimeException e) {
            throw new AssertionError("the console threw (a 500 on the wire) for " + what, e);
        }
        String body = r.body();
        assertTrue(r.status < 500, what + " -> " + r.status);
        Matcher trace = TRACE.matcher(body);
        while (trace.find()) {
            assertTrue(echoed(trace.group(), what), what + " -> a stack trace: " + body);
        }

        boolean unsafe = !method.equals("GET") && !method.equals("HEAD");
        if (!loggedInBefore && !isLogin) {
            assertEquals(callsBefore, console.pluginCalls, "reached the plugin without a login: " + what);
            // 429/503: wrong passwords from this address are in their back-off (LoginThrottle)
            assertTrue(r.status == 401 || r.status == 403 || r.status == 405 || r.status == 429 || r.status == 503, what + " -> " + r.status);
            assertFalse(body.contains("\"processors\"") || body.contains("\"adapters\""), what + " -> data: " + body);
        }
        if (console.selected.size() > selectedBefore) {
            // a switch happened: only a logged-in, same-origin POST to api/backend with the session's token may do it
            assertTrue(loggedInBefore && validToken && method.equals("POST") && path.equals(ConsoleSecurity.HOME + "/api/backend")
                    && ConsoleSecurity.crossSite(q.proxy()) == null, "switched the backend: " + what);
        }
        if (loggedInBefore && unsafe && !validToken && path.startsWith(ConsoleSecurity.HOME)) {
            assertTrue(r.status == 403 || r.status == 405, what + " -> " + r.status);
        }
        if (loggedInBefore && validToken && method.equals("POST") && path.equals(ConsoleSecurity.HOME + "/api/backend")
                && !name.equals("sim") && !name.equals("native") && r.status != 403) {
            assertTrue(r.status >= 400 && r.status < 500, what + " -> " + r.status);
            assertTrue(body.contains("\"reason\":\""), what + " -> no reason: " + body);
        }
        if (r.status >= 400 && r.contentType != null && r.contentType.startsWith("application/json")) {
            assertTrue(body.contains("\"status\":\"STOR_STATUS_") && body.contains("\"reason\":\""), what + " -> " + body);
        }
        if (!console.loggedIn() && !validBasic && !isLogin) {
            assertNull(console.client.session == null ? null : console.client.session.attributes.get(ConsoleSecurity.USER_ATTRIBUTE));
        }
    }

    /**
     * Whether a trace marker in an answer is the request's own text echoed in a reason (a path or an
     * Origin with "Caused by:" in it, quoted by a 404 or a 403): the request carried the marker as the
     * answer shows it, its leading separator included ("\tat", a tab then "at", not merely "at", which
     * nearly every request contains), only the trailing separator excepted, which the reason's own words
     * may supply (an Origin ending in "Caused by:" quoted before a space).
     */
    static boolean echoed(String marker, String request) {
        return request.contains(marker.stripTrailing());
    }

    @org.junit.jupiter.api.Test
    void onlyWhatTheRequestCarriedIsEchoed() {
        String request = "GET /system/console/storport/api/backend {Authorization=Basic YWRtaW4=} {name=native}";
        assertFalse(echoed("\tat ", request), "'at' of Authorization/native is no echo of a frame");
        assertFalse(echoed("Caused by: ", request));
        assertFalse(echoed("java.lang.IllegalStateException", request));
        assertTrue(echoed("Caused by: ", "GET /Caused by: x {} {}"));
        assertTrue(echoed("Caused by: ", "POST /x {Origin=http://a.example/Caused by:} {}"));
        assertTrue(echoed("\tat ", "GET /a\tat b {} {}"));
        assertTrue(echoed("java.lang.IllegalStateException", "GET /java.lang.IllegalStateException {} {}"));
    }
}

package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The management console as a user meets it: the real product ({@code ./storport --no-shell}) with
 * its console on a free port, driven over HTTP and in headless Chromium (Debian's chromium and
 * chromedriver; Selenium downloads nothing). The native backend reads {@link FixtureRoot}, so a
 * switch to it visibly changes nvme0's map: 80 simulated processors become the fixture's 4.
 *
 * <p>Screenshots go to {@code target/screenshots/} (docs/console.png is one of them).
 */
public class ConsoleIT {
    private static final String SWITCHED_TO_NATIVE_ID = FixtureRoot.BDF;
    private static final String DEFAULT_SPEC = "package:2 node:1 core:20 pu:2";

    private static ConsoleProduct product;
    private static String base;
    private static String password;
    private static Path nativeRoot;
    private static ChromeDriverService service;
    private static final List<WebDriver> drivers = new ArrayList<>();
    private static int browsersStarted;
    /**
     * The browser logged in through the form by the first test that asks for one; every later test
     * that asks opens the storport page afresh in it (a new document: no page state carries over).
     */
    private static WebDriver sharedBrowser;
    /** The shell's --json output for the same state (a one-shot run on a home of its own), by command. */
    private static final Map<String, String> shell = new HashMap<>();

    @BeforeClass
    public static void startTheProduct() throws Exception {
        nativeRoot = FixtureRoot.create(StorportOptions.freshDir("ConsoleIT-native"));
        Path home = StorportOptions.freshDir("ConsoleIT-home");
        product = ConsoleProduct.start(home, Map.of("STORPORT_NATIVE_ROOT", nativeRoot.toString()), "--no-shell");
        // while the product starts: the shell's answers (a one-shot run of its own), and the browser's driver
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(System.getProperty("chromedriver.binary")))
                .usingAnyFreePort().build();
        service.start();

        List<String> sim = List.of("adapters --json", "map --json nvme0", "map --json sas0", "messages --json nvme0", "messages --json sas0",
                "topology --json", "check --json", "compare --json nvme0 numa-spread win-all-close");
        List<String> nat = List.of("adapters --json", "map --json nvme0", "messages --json nvme0", "topology --json", "check --json");
        StringBuilder line = new StringBuilder();
        sim.forEach(c -> line.append("storport:").append(c).append(" ; "));
        line.append("storport:backend native ; ");
        nat.forEach(c -> line.append("storport:").append(c).append(" ; "));
        line.append("storport:backend sim");
        String out = ConsoleProduct.oneShot(StorportOptions.freshDir("ConsoleIT-shell-home"),
                Map.of("STORPORT_NATIVE_ROOT", nativeRoot.toString()), line.toString());
        List<String> json = out.lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(out, sim.size() + nat.size(), json.size());
        for (int i = 0; i < sim.size(); i++) {
            shell.put("sim " + sim.get(i), json.get(i) + "\n");
        }
        for (int i = 0; i < nat.size(); i++) {
            shell.put("native " + nat.get(i), json.get(sim.size() + i) + "\n");
        }
        assertFalse("the one-shot run started no console: " + out, out.contains("storport console"));

        base = product.awaitConsole();
        Matcher generated = product.await(ConsoleProduct.GENERATED, Duration.ofSeconds(30));
        password = generated.group(2);
    }

    @AfterClass
    public static void stopEverything() throws Exception {
        for (WebDriver d : drivers) {
            try {
                d.quit();
            } catch (RuntimeException e) {
                // already gone
            }
        }
        if (service != null) {
            service.stop();
        }
        if (product != null) {
            int exit = product.stop(Duration.ofSeconds(30));
            String err = product.err();
            product.close();
            assertEquals(err, 0, exit);
        }
    }

    // ------------------------------------------------------------------ startup, login, CSRF, JSON (HTTP)

    @Test
    public void startupPrintsTheAddressAndTheGeneratedPasswordWhoseHashIsPrivate() throws Exception {
        assertEquals("http://127.0.0.1:" + product.port, base);
        assertTrue(product.out(), product.out().contains("storport console: " + base + "/system/console/storport (user admin)\n"));
        Matcher m = ConsoleProduct.GENERATED.matcher(product.out());
        assertTrue(m.find());
        Path file = Path.of(m.group(1));
        assertEquals(product.home.resolve("console-admin.pbkdf2"), file);
        assertEquals("owner read/write only", Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        String stored = Files.readString(file);
        assertTrue(stored, stored.startsWith("pbkdf2-sha256$600000$"));
        assertFalse("only a hash is stored", stored.contains(password));
        assertEquals("printed once", 1, product.out().split(password, -1).length - 1);
    }

    @Test
    public void everyConsolePathAndEndpointNeedsLogin() throws Exception {
        List<String> paths = List.of("/system/console", "/system/console/", "/system/console/bundles", "/system/console/configMgr",
                "/system/console/configMgr/storport.sim.host", "/system/console/components", "/system/console/res/lib/jquery-3.7.1.js",
                "/system/console/logout", "/system/console/storport", "/system/console/storport/", "/system/console/storport/res/storport.js",
                "/system/console/storport/api/adapters", "/system/console/storport/api/map/nvme0", "/system/console/storport/api/messages/nvme0",
                "/system/console/storport/api/topology", "/system/console/storport/api/backend", "/system/console/storport/api/version",
                "/system/console/storport/api/msgid/nvme0/0", "/system/console/storport/nothing");
        String host = "127.0.0.1:" + product.port;
        // In order until the address is in its back-off; then the rest side by side, as each refusal is held back a
        // quarter second (the back-off only grows with every attempt made in it, so they are all 429s as before)
        java.util.concurrent.ExecutorService parallel = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<?>> answers = new ArrayList<>();
        boolean throttled = false;
        try {
            for (String path : paths) {
                for (String[] auth : new String[][] { {}, { "Authorization", ConsoleProduct.basic("admin", "admin") },
                        { "Authorization", ConsoleProduct.basic("admin", password + "x") }, { "Authorization", ConsoleProduct.basic("root", password) } }) {
                    // from an address of their own: after five wrong passwords an address waits (429, LoginThrottle), and the
                    // browser tests log in from 127.0.0.1; without a password it is always 401
                    java.util.concurrent.Callable<Integer> request = () -> {
                        RawHttp.Answer r = RawHttp.send("127.0.0.9", product.port, "GET", path, null, RawHttp.with(auth, "Host", host));
                        assertTrue(path + " " + List.of(auth) + ": " + r.status(), r.status() == 401 || auth.length > 0 && r.status() == 429);
                        assertFalse(path, r.body().contains("\"processors\""));
                        return r.status();
                    };
                    if (throttled) {
                        answers.add(parallel.submit(request));
                    } else {
                        throttled = request.call() == 429;
                    }
                }
            }
            for (java.util.concurrent.Future<?> answer : answers) {
                try {
                    answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof AssertionError failed) {
                        throw failed;
                    }
                    throw e;
                }
            }
        } finally {
            parallel.shutdownNow();
        }
        HttpResponse<String> page = ConsoleProduct.get(ConsoleProduct.PLAIN, base + "/system/console/configMgr", "Accept", "text/html");
        assertEquals(401, page.statusCode());
        assertTrue(page.body(), page.body().contains("id='storport-login'"));
        HttpResponse<String> api = ConsoleProduct.get(ConsoleProduct.PLAIN, base + "/system/console/storport/api/map/nvme0");
        assertTrue(api.body(), api.body().startsWith("{\"status\":\"STOR_STATUS_ACCESS_DENIED\""));

        HttpResponse<String> post = ConsoleProduct.post(ConsoleProduct.PLAIN, base + "/system/console/storport/api/backend", "name=native",
                "Origin", base);
        assertEquals(401, post.statusCode());
        assertEquals("sim", active());

        HttpResponse<String> ok = ConsoleProduct.get(ConsoleProduct.PLAIN, base + "/system/console/bundles", "Authorization", auth());
        assertEquals("the Web Console's own pages open with storport's login", 200, ok.statusCode());
    }

    @Test
    public void postBackendNeedsTheSessionsCsrfTokenAndTheSameOrigin() throws Exception {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String url = base + "/system/console/storport/api/backend";
        HttpResponse<String> first = ConsoleProduct.get(client, url, "Authorization", auth());
        assertEquals(200, first.statusCode());
        String token = first.headers().firstValue("X-Storport-CSRF").orElseThrow();

        assertEquals("no token", 403, ConsoleProduct.post(client, url, "name=native", "Authorization", auth(), "Origin", base).statusCode());
        assertEquals("wrong token", 403, ConsoleProduct.post(client, url, "name=native", "Authorization", auth(), "Origin", base,
                "X-Storport-CSRF", token.substring(1) + "A").statusCode());
        assertEquals("token in the wrong session", 403, ConsoleProduct.post(ConsoleProduct.PLAIN, url, "name=native", "Authorization", auth(),
                "X-Storport-CSRF", token).statusCode());
        HttpResponse<String> cross = ConsoleProduct.post(client, url, "name=native", "Authorization", auth(), "Origin", "http://evil.example",
                "X-Storport-CSRF", token);
        assertEquals("cross-site", 403, cross.statusCode());
        assertTrue(cross.body(), cross.body().contains("cross-site request refused"));
        assertEquals("cross-site by fetch metadata", 403, ConsoleProduct.post(client, url, "name=native", "Authorization", auth(),
                "Sec-Fetch-Site", "cross-site", "X-Storport-CSRF", token).statusCode());
        assertEquals("cross-site to the Web Console's own forms too", 403, ConsoleProduct.post(client,
                base + "/system/console/configMgr/storport.sim.host", "apply=true&action=ajaxConfigManager&propertylist=spec&spec=core:1",
                "Authorization", auth(), "Origin", "http://evil.example").statusCode());
        assertEquals("a GET changes nothing", 200, ConsoleProduct.get(client, url + "?name=native", "Authorization", auth()).statusCode());
        assertEquals("sim", active());
        assertEquals(80, processors());

        HttpResponse<String> switched = ConsoleProduct.post(client, url, "name=native", "Authorization", auth(), "Origin", base,
                "X-Storport-CSRF", token);
        try {
            assertEquals(switched.body(), 200, switched.statusCode());
            assertTrue(switched.body(), switched.body().startsWith("{\"active\":\"native\",\"preferred\":\"native\""));
            assertEquals("native", active());
            HttpResponse<String> unknown = ConsoleProduct.post(client, url, "name=nope", "Authorization", auth(), "Origin", base,
                    "X-Storport-CSRF", token);
            assertEquals(400, unknown.statusCode());
            assertTrue(unknown.body(), unknown.body().contains("\"status\":\"STOR_STATUS_INVALID_PARAMETER\""));
        } finally {
            assertEquals(200, ConsoleProduct.post(client, url, "name=sim", "Authorization", auth(), "Origin", base, "X-Storport-CSRF", token)
                    .statusCode());
        }
        assertEquals("sim", active());
    }

    @Test
    public void theJsonEndpointsAreTheShellsJsonByteForByte() throws Exception {
        String api = base + "/system/console/storport/api/";
        assertEquals(shell.get("sim adapters --json"), apiGet(api + "adapters"));
        assertEquals(shell.get("sim map --json nvme0"), apiGet(api + "map/nvme0"));
        assertEquals(shell.get("sim map --json sas0"), apiGet(api + "map/sas0"));
        assertEquals(shell.get("sim messages --json nvme0"), apiGet(api + "messages/nvme0"));
        assertEquals(shell.get("sim messages --json sas0"), apiGet(api + "messages/sas0"));
        assertEquals(shell.get("sim topology --json"), apiGet(api + "topology"));
        assertEquals(shell.get("sim check --json"), apiGet(api + "findings"));
        assertEquals(shell.get("sim compare --json nvme0 numa-spread win-all-close"), apiGet(api + "compare/nvme0?policies=numa-spread,win-all-close"));
        switchTo("native");
        try {
            assertEquals(shell.get("native adapters --json"), apiGet(api + "adapters"));
            assertEquals("by alias", shell.get("native map --json nvme0"), apiGet(api + "map/nvme0"));
            assertEquals("by id", shell.get("native map --json nvme0"), apiGet(api + "map/" + SWITCHED_TO_NATIVE_ID));
            assertEquals(shell.get("native messages --json nvme0"), apiGet(api + "messages/nvme0"));
            assertEquals(shell.get("native topology --json"), apiGet(api + "topology"));
            assertEquals(shell.get("native check --json"), apiGet(api + "findings"));
        } finally {
            switchTo("sim");
        }
        HttpResponse<String> missing = ConsoleProduct.get(ConsoleProduct.PLAIN, api + "map/nvme7", "Authorization", auth());
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body(), missing.body().contains("unknown adapter 'nvme7' on backend sim (adapters: nvme0, sas0)"));
    }

    // ------------------------------------------------------------------ in the browser

    @Test
    public void aBrowserWithoutLoginSeesNeitherPagesNorData() throws Exception {
        WebDriver d = browserForOneTest(false);
        try {
            withoutLogin(d);
        } finally {
            quit(d);
        }
    }

    private static void withoutLogin(WebDriver d) throws Exception {
        d.get(base + "/system/console/storport/api/map/nvme0");
        assertTrue(d.getPageSource(), d.getPageSource().contains("STOR_STATUS_ACCESS_DENIED"));
        assertFalse(d.getPageSource().contains("\"processors\""));
        d.get(base + "/system/console/configMgr");
        assertNotNull(d.findElement(By.id("storport-login")));
        assertTrue(d.findElements(By.id("sp-heatmap")).isEmpty());
        d.findElement(By.id("password")).sendKeys("admin");
        d.findElement(By.id("login-submit")).click();
        assertTrue(d.findElement(By.id("login-error")).getText().contains("Wrong user or password"));
        d.findElement(By.id("password")).sendKeys(password);
        d.findElement(By.id("login-submit")).click();
        await("the Configuration page after login", () -> d.getCurrentUrl().endsWith("/system/console/configMgr")
                && d.getPageSource().contains("storport simulated host"));
        screenshot(d, "configuration-page");
    }

    @Test
    public void loggedInTheHeatmapOfNvme0ShowsEachProcessorsMessage() throws Exception {
        WebDriver d = loggedIn();
        Map<String, Object> map = Json.object(shell.get("sim map --json nvme0"));
        List<?> expected = (List<?>) map.get("processors");
        assertEquals("nvme0", js(d, "return window.storportMap.adapter"));
        assertEquals("sim", js(d, "return window.storportMap.backend"));
        List<?> drawn = (List<?>) js(d, "return window.storportMap.processors");
        assertEquals(80, drawn.size());
        Set<Object> groups = new HashSet<>();
        for (int i = 0; i < 80; i++) {
            Map<?, ?> want = (Map<?, ?>) expected.get(i);
            Map<?, ?> got = (Map<?, ?>) drawn.get(i);
            for (String key : List.of("index", "group", "number", "node", "message")) {
                assertEquals("processor " + i + " " + key, ((Number) want.get(key)).longValue(), ((Number) got.get(key)).longValue());
            }
            groups.add(got.get("group"));
        }
        assertEquals(Set.of(0L, 1L), groups);
        assertTrue(d.findElement(By.id("sp-map-title")).getText(), d.findElement(By.id("sp-map-title")).getText()
                .startsWith("nvme0 on sim: 80 processors in 2 groups and 2 NUMA nodes"));
        // what the canvas shows: the pixel in each sampled processor's cell has its message's colour, and messages differ
        List<Integer> samples = new ArrayList<>(List.of(0, 1, 2, 3, 17, 39, 40, 41, 45, 63, 78, 79));
        Random random = new Random(4);
        for (int i = 0; i < 12; i++) {
            samples.add(random.nextInt(80));
        }
        Map<String, Long> messageOfColour = new HashMap<>();
        for (int p : samples) {
            long message = ((Number) ((Map<?, ?>) expected.get(p)).get("message")).longValue();
            String pixel = pixel(d, p);
            assertEquals("processor " + p + " is drawn in message " + message + "'s colour", js(d, "return window.storportMap.colourOf(arguments[0])",
                    message), pixel);
            Long other = messageOfColour.put(pixel, message);
            assertTrue("one colour, one message: " + pixel, other == null || other == message);
        }
        assertTrue("several messages sampled: " + messageOfColour, messageOfColour.size() >= 10);
        screenshot(d, "heatmap-nvme0");
        Files.copy(screenshotPath("heatmap-nvme0"), screenshotPath("console"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    public void theAdaptersOfTheActiveBackendAreListedAndOneIsChosenForTheMap() throws Exception {
        WebDriver d = loggedIn();
        List<?> adapters = (List<?>) Json.object(shell.get("sim adapters --json")).get("adapters");
        // the page redraws the table whenever new data comes in: an element found may be gone when used, so each read is repeated on a fresh find
        List<List<String>> table = unstale(() -> d.findElements(By.cssSelector("#sp-adapters tbody tr")).stream()
                .map(row -> row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()).toList());
        assertEquals(adapters.size(), table.size());
        for (int i = 0; i < table.size(); i++) {
            Map<?, ?> a = (Map<?, ?>) adapters.get(i);
            List<String> cells = table.get(i);
            assertEquals(List.of(a.get("id"), "-", String.valueOf(a.get("node")), String.valueOf(a.get("messages")),
                    a.get("firstRedirection") + "-" + a.get("lastRedirection"), a.get("policy"), "-"), cells);
        }
        assertEquals("sp-selected", unstale(() -> d.findElement(By.cssSelector("#sp-adapters tr[data-adapter='nvme0']")).getAttribute("class")));
        js(d, "window.notReloaded = true");
        unstale(() -> {
            d.findElement(By.cssSelector("#sp-adapters tr[data-adapter='sas0']")).click();
            return null;
        });
        await("sas0's map", () -> "sas0".equals(js(d, "return window.storportMap.adapter")));
        assertEquals(Boolean.TRUE, js(d, "return window.notReloaded === true"));
        assertEquals("sp-selected", unstale(() -> d.findElement(By.cssSelector("#sp-adapters tr[data-adapter='sas0']")).getAttribute("class")));
        List<?> expected = (List<?>) Json.object(shell.get("sim map --json sas0")).get("processors");
        for (int p : List.of(0, 15, 16, 17, 40, 79)) {
            long message = ((Number) ((Map<?, ?>) expected.get(p)).get("message")).longValue();
            assertEquals("round-robin over 0..15", p % 16, message);
            assertEquals(message, js(d, "return window.storportMap.processors[arguments[0]].message", p));
            assertEquals(js(d, "return window.storportMap.colourOf(arguments[0])", message), pixel(d, p));
        }
        screenshot(d, "heatmap-sas0");
    }

    @Test
    public void selectingAProcessorThenAMessageShowsTheirDetailsAndHighlightsTheTargets() throws Exception {
        WebDriver d = loggedIn();
        Map<?, ?> p45 = (Map<?, ?>) ((List<?>) Json.object(shell.get("sim map --json nvme0")).get("processors")).get(45);
        long message = ((Number) p45.get("message")).longValue();
        clickProcessor(d, 45);
        await("processor 45's details", () -> "45".equals(text(d, "sp-proc-index")));
        assertEquals("1:5", text(d, "sp-proc-number"));
        assertEquals("1", text(d, "sp-proc-node"));
        assertEquals(String.valueOf(message), text(d, "sp-proc-message"));

        Map<?, ?> details = null;
        for (Object m : (List<?>) Json.object(shell.get("sim messages --json nvme0")).get("messages")) {
            if (((Number) ((Map<?, ?>) m).get("id")).longValue() == message) {
                details = (Map<?, ?>) m;
            }
        }
        assertNotNull(details);
        unstale(() -> {
            d.findElement(By.cssSelector("#sp-messages .sp-msg[data-message='" + message + "']")).click();
            return null;
        });
        await("message details", () -> String.valueOf(message).equals(text(d, "sp-msg-id")));
        assertEquals(details.get("name"), text(d, "sp-msg-name"));
        assertEquals("-", text(d, "sp-msg-irq"));
        StringBuilder affinity = new StringBuilder();
        for (Object t : (List<?>) details.get("targets")) {
            affinity.append(affinity.length() == 0 ? "" : ", ").append(((Map<?, ?>) t).get("group")).append(':').append(((Map<?, ?>) t).get("mask"));
        }
        assertEquals(affinity.toString(), text(d, "sp-msg-affinity"));
        List<Long> targets = ((List<?>) details.get("processors")).stream().map(o -> ((Number) o).longValue()).toList();
        assertTrue(targets.contains(45L));
        assertEquals(targets, ((List<?>) js(d, "return window.storportMap.highlighted")).stream().map(o -> ((Number) o).longValue()).toList());
        for (long t : targets) {
            assertEquals("target " + t + " in full colour", js(d, "return window.storportMap.colourOf(arguments[0])", message),
                    pixelOffCentre(d, (int) t));
        }
        int outside = targets.contains(0L) ? 79 : 0;
        long outsideMessage = ((Number) ((Map<?, ?>) ((List<?>) Json.object(shell.get("sim map --json nvme0")).get("processors")).get(outside))
                .get("message")).longValue();
        assertEquals("processor " + outside + " faded", js(d, "return window.storportMap.fadedColourOf(arguments[0])", outsideMessage),
                pixel(d, outside));
        screenshot(d, "message-selected");
    }

    @Test
    public void theSeedCallFormShowsTheMessageIdOrTheStatus() throws Exception {
        WebDriver d = loggedIn();
        String expected = ConsoleProduct.oneShot(StorportOptions.freshDir("ConsoleIT-msgid-home"), Map.of(), "storport:msgid nvme0 5").trim();
        seed(d, "5");
        await("the seed call's answer", () -> "STOR_STATUS_SUCCESS".equals(d.findElement(By.id("sp-seed-result")).getAttribute("data-status")));
        assertEquals(expected, d.findElement(By.id("sp-seed-result")).getAttribute("data-message"));
        assertTrue(d.findElement(By.id("sp-seed-result")).getText().startsWith("Message ID " + expected));
        seed(d, "80");
        await("an invalid index", () -> "STOR_STATUS_INVALID_PARAMETER".equals(d.findElement(By.id("sp-seed-result")).getAttribute("data-status")));
        assertEquals("STOR_STATUS_INVALID_PARAMETER (0xC1000006): processor index 80 is outside 0..79",
                d.findElement(By.id("sp-seed-result")).getText());
        seed(d, "abc");
        await("not a number", () -> d.findElement(By.id("sp-seed-result")).getText().endsWith("processor index 'abc' is not a number"));
        screenshot(d, "seed-call");
    }

    @Test
    public void switchingTheBackendInThePageChangesItsMapLiveAndASecondPageFollowsWithoutReloading() throws Exception {
        WebDriver a = loggedIn();
        WebDriver b = loggedIn(browserForOneTest(false), base, password);
        try {
            switchingInOnePageIsFollowedByTheOther(a, b);
        } finally {
            quit(b);
        }
    }

    private static void switchingInOnePageIsFollowedByTheOther(WebDriver a, WebDriver b) throws Exception {
        for (WebDriver d : List.of(a, b)) {
            js(d, "window.notReloaded = true");
        }
        try {
            new Select(a.findElement(By.id("sp-backend-select"))).selectByValue("native");
            a.findElement(By.id("sp-backend-switch")).click();
            long[] seen = followSwitch(a, b, "native");
            System.out.println("second page followed the switch to native " + (seen[1] - seen[0]) + " ms after the server");
            assertTrue("the second page followed " + (seen[1] - seen[0]) + " ms after the switch", seen[1] - seen[0] <= 1000);
            for (WebDriver d : List.of(a, b)) {
                assertEquals(Boolean.TRUE, js(d, "return window.notReloaded === true"));
                assertEquals(SWITCHED_TO_NATIVE_ID, js(d, "return window.storportMap.adapter"));
                assertEquals(4L, js(d, "return window.storportMap.processors.length"));
                for (int p = 0; p < 4; p++) {
                    assertEquals((long) FixtureRoot.ANSWERS[p], js(d, "return window.storportMap.processors[arguments[0]].message", p));
                    assertEquals(js(d, "return window.storportMap.colourOf(arguments[0])", FixtureRoot.ANSWERS[p]), pixel(d, p));
                }
                assertEquals("native", d.findElement(By.id("sp-backend")).getText());
                assertEquals("the switch shows the active backend", "native",
                        new Select(d.findElement(By.id("sp-backend-select"))).getFirstSelectedOption().getAttribute("value"));
            }
            screenshot(a, "switched-native-page-a");
            screenshot(b, "switched-native-page-b");

            new Select(b.findElement(By.id("sp-backend-select"))).selectByValue("sim");
            b.findElement(By.id("sp-backend-switch")).click();
            long[] back = followSwitch(b, a, "sim");
            System.out.println("first page followed the switch to sim " + (back[1] - back[0]) + " ms after the server");
            assertTrue("the first page followed " + (back[1] - back[0]) + " ms after the switch", back[1] - back[0] <= 1000);
            for (WebDriver d : List.of(a, b)) {
                assertEquals(Boolean.TRUE, js(d, "return window.notReloaded === true"));
                assertEquals(80L, js(d, "return window.storportMap.processors.length"));
                assertEquals("nvme0", js(d, "return window.storportMap.adapter"));
            }
        } finally {
            if (!"sim".equals(active())) {
                switchTo("sim");
            }
        }
    }

    @Test
    public void aConfigurationChangeUpdatesAnOpenPageWithinASecond() throws Exception {
        WebDriver d = loggedIn();
        js(d, "window.notReloaded = true");
        try {
            configureHost("node:2 core:8 pu:2");
            long server = awaitServer(() -> processors() == 32);
            long page = awaitPage(d, () -> Long.valueOf(32).equals(js(d, "return window.storportMap.processors.length")));
            System.out.println("the page followed the configuration change " + (page - server) + " ms after the server");
            assertTrue("the page followed " + (page - server) + " ms after the change", page - server <= 1000);
            assertEquals(Boolean.TRUE, js(d, "return window.notReloaded === true"));
            screenshot(d, "configured-32");
        } finally {
            configureHost(DEFAULT_SPEC);
            awaitServer(() -> processors() == 80);
        }
        awaitPage(d, () -> Long.valueOf(80).equals(js(d, "return window.storportMap.processors.length")));
    }

    /**
     * Findings, events and rates in the page: an isolated CPU taking I/O interrupts is a finding of
     * nvme0; selecting it highlights that processor; the finding's event is listed; the heatmap
     * coloured by interrupts per second shows the simulator's load model (1,000 a second on every
     * processor, each completing on its own CPU), refreshed live; clearing the isolation clears both.
     */
    @Test
    public void theFindingsPanelHighlightsAFindingsProcessorsAndTheRatesViewColoursByInterruptsPerSecond() throws Exception {
        WebDriver d = loggedIn();
        assertEquals("No findings on nvme0.", text(d, "sp-findings"));
        try {
            configureHost(DEFAULT_SPEC + " isolated:3");
            await("the isolated finding", () -> !d.findElements(By.cssSelector("#sp-findings .sp-finding[data-code='isolated']")).isEmpty());
            String finding = (String) js(d, "var f = document.querySelector(\"#sp-findings .sp-finding[data-code='isolated']\");"
                    + " return f.getAttribute('data-severity') + ' ' + f.textContent");
            assertTrue(finding, finding.startsWith("warning ") && finding.contains("processors 3") && finding.contains("isolcpus=managed_irq"));
            js(d, "document.querySelector(\"#sp-findings .sp-finding[data-code='isolated']\").click()");
            await("its processor highlighted", () -> List.of(3L).equals(js(d, "return window.storportMap.highlighted")));
            long message = ((Number) js(d, "return window.storportMap.processors[3].message")).longValue();
            assertEquals("in full colour", js(d, "return window.storportMap.colourOf(arguments[0])", message), pixelOffCentre(d, 3));
            await("the raised event listed", () -> eventListed(d, "storport/finding/RAISED", "isolated on nvme0"));
            screenshot(d, "finding-selected");

            new Select(d.findElement(By.id("sp-colour-by"))).selectByValue("rates");
            await("rates drawn", () -> "rates".equals(js(d, "return window.storportMap.mode")) && js(d, "return window.storportMap.rates") != null);
            long draws = ((Number) js(d, "return window.storportMap.draws")).longValue();
            await("refreshed live", () -> ((Number) js(d, "return window.storportMap.draws")).longValue() >= draws + 2);
            List<?> rates = (List<?>) js(d, "return window.storportMap.rates");
            assertEquals(80, rates.size());
            for (int p = 0; p < rates.size(); p++) {
                double r = ((Number) rates.get(p)).doubleValue();
                assertTrue("processor " + p + ": " + r + " interrupts/s", r > 700 && r < 1300);
            }
            assertEquals("load model", js(d, "return window.storportMap.ratesSource"));
            assertEquals("the highlighted processor in its rate's colour", js(d, "return window.storportMap.rateColourOf(window.storportMap.rates[3])"),
                    pixelOffCentre(d, 3));
            screenshot(d, "rates");
        } finally {
            configureHost(DEFAULT_SPEC);
        }
        await("the finding cleared", () -> "No findings on nvme0.".equals(text(d, "sp-findings")));
        await("the cleared event listed", () -> eventListed(d, "storport/finding/CLEARED", "isolated on nvme0"));
    }

    /** Whether the events panel lists an event of the topic whose text holds {@code words} (read in one script: the list is redrawn live). */
    private static boolean eventListed(WebDriver d, String topic, String words) {
        return Boolean.TRUE.equals(js(d, "return Array.from(document.querySelectorAll('#sp-events li')).some(li =>"
                + " li.getAttribute('data-topic') === arguments[0] && li.textContent.includes(arguments[1]))", topic, words));
    }

    /** The compare view: two policies' maps as small heatmaps side by side, their scores, the best of each marked. */
    @Test
    public void theCompareViewShowsTwoPoliciesSideBySideWithTheirScoresAndTheBestMarked() throws Exception {
        WebDriver d = loggedIn();
        WebElement policies = d.findElement(By.id("sp-compare-policies"));
        policies.clear();
        policies.sendKeys("numa-spread win-all-close");
        d.findElement(By.id("sp-compare-run")).click();
        await("two candidates", () -> Long.valueOf(2).equals(js(d, "return window.storportCompare && window.storportCompare.policies.length")));
        Map<String, Object> api = Json.object(apiGet(base + "/system/console/storport/api/compare/nvme0?policies=numa-spread,win-all-close"));
        for (int i = 0; i < 2; i++) {
            Map<?, ?> expected = (Map<?, ?>) ((List<?>) api.get("policies")).get(i);
            assertEquals(expected.get("policy"), js(d, "return window.storportCompare.policies[arguments[0]].policy", i));
            assertEquals("the drawn map is the API's", expected.get("map"), js(d, "return window.storportCompare.policies[arguments[0]].map", i));
        }
        assertEquals("numa-spread serves every processor from 32 messages, on the processors' own node",
                List.of("messagesUsed", "maxPerMessage", "crossNode", "isolated", "noMessage"), js(d, "return window.storportCompare.policies[0].best"));
        assertEquals("win-all-close: no processor of node 1 has a message; nothing crosses nodes", List.of("crossNode", "isolated"),
                js(d, "return window.storportCompare.policies[1].best"));
        assertEquals("40", d.findElement(By.cssSelector(".sp-candidate[data-policy='win-all-close'] td[data-score='noMessage']")).getText());
        assertEquals("sp-best", d.findElement(By.cssSelector(".sp-candidate[data-policy='numa-spread'] td[data-score='noMessage']")).getAttribute("class"));
        // processor 50 (node 1): its numa-spread message's colour, and no message under win-all-close
        long message50 = ((Number) js(d, "return window.storportCompare.policies[0].map[50]")).longValue();
        assertEquals(js(d, "return window.storportMap.colourOf(arguments[0])", message50), miniPixel(d, 0, 50));
        assertEquals(js(d, "return window.storportMap.noMessageColour"), miniPixel(d, 1, 50));
        screenshot(d, "compare");
    }

    /** The colour of a processor's cell in the n-th candidate's small heatmap. */
    private static String miniPixel(WebDriver d, int candidate, int processor) {
        return (String) js(d, "var s = window.storportCompare, i = arguments[1], step = s.cell + s.gap;"
                + "var c = document.querySelectorAll('#sp-compare-result canvas.sp-mini')[arguments[0]].getContext('2d');"
                + "var px = c.getImageData((i % s.cols) * step + 1, Math.floor(i / s.cols) * step + 1, 1, 1).data;"
                + "return '#' + [px[0], px[1], px[2]].map(v => v.toString(16).padStart(2, '0')).join('');", candidate, processor);
    }

    @Test
    public void theHeatmapStaysReadableAt4096Processors() throws Exception {
        WebDriver d = loggedIn();
        try {
            configureHost("package:4 node:2 core:256 pu:2");
            awaitServer(() -> processors() == 4096);
            awaitPage(d, () -> Long.valueOf(4096).equals(js(d, "return window.storportMap.processors.length")));
            Map<String, Object> map = Json.object(apiGet(base + "/system/console/storport/api/map/nvme0"));
            List<?> expected = (List<?>) map.get("processors");
            assertEquals(4096, expected.size());
            assertEquals(64L, js(d, "return new Set(window.storportMap.processors.map(p => p.group)).size"));
            long cell = (Long) js(d, "return window.storportMap.cell");
            assertTrue("cells of " + cell + " px", cell >= 8);
            long width = (Long) js(d, "return document.getElementById('sp-heatmap').clientWidth");
            long height = (Long) js(d, "return document.getElementById('sp-heatmap').clientHeight");
            assertTrue(width + "x" + height, width <= 1400 && height <= 1600);
            long elements = (Long) js(d, "return document.querySelectorAll('*').length");
            assertTrue("no page of thousands of elements: " + elements, elements < 1500);
            assertEquals("no table rows per processor: a header and one per adapter (the fleet's table aside: no fleet here)", 3L,
                    js(d, "return document.querySelectorAll('#storport tr:not(#sp-fleet-hosts tr)').length"));
            assertEquals(Boolean.TRUE, js(d, "return document.getElementById('sp-fleet').hidden"));
            Random random = new Random(4096);
            for (int i = 0; i < 40; i++) {
                int p = random.nextInt(4096);
                long message = ((Number) ((Map<?, ?>) expected.get(p)).get("message")).longValue();
                assertEquals("processor " + p, message, js(d, "return window.storportMap.processors[arguments[0]].message", p));
                assertEquals("processor " + p, js(d, "return window.storportMap.colourOf(arguments[0])", message), pixel(d, p));
            }
            clickProcessor(d, 4095);
            await("the last processor's details", () -> "4095".equals(text(d, "sp-proc-index")));
            assertEquals("63:63", text(d, "sp-proc-number"));
            screenshot(d, "heatmap-4096");
        } finally {
            configureHost(DEFAULT_SPEC);
            awaitServer(() -> processors() == 80);
        }
    }

    @Test
    public void theConfigurationLinkLeadsToStorportsSettingsInTheWebConsole() throws Exception {
        WebDriver d = loggedIn();
        d.findElement(By.id("sp-config-link")).click();
        await("the Web Console's Configuration page", () -> d.getCurrentUrl().endsWith("/system/console/configMgr")
                && d.getPageSource().contains("storport simulated host") && d.getPageSource().contains("storport backend")
                && d.getPageSource().contains("storport simulated adapter"));
    }

    @Test
    public void aPostFromThePageWithoutTheTokenIsRefused() throws Exception {
        WebDriver d = loggedIn();
        String script = "var done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {method: 'POST', credentials: 'same-origin', headers: arguments[1],"
                + " body: 'name=native'}).then(r => done(r.status), e => done(String(e)));";
        String url = base + "/system/console/storport/api/backend";
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403L, ((JavascriptExecutor) d).executeAsyncScript(script, url, form));
        assertEquals(403L, ((JavascriptExecutor) d).executeAsyncScript(script, url,
                Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Storport-CSRF", "forged")));
        assertEquals("sim", active());
    }

    // ------------------------------------------------------------------ the launcher's other modes

    /**
     * SIGTERM stops {@code --no-shell} cleanly (exit 0, no stack trace, port closed); the stored
     * password survives a restart and is not printed again; STORPORT_CONSOLE_PASSWORD overrides it;
     * the console binds to the loopback address unless STORPORT_CONSOLE_HOST says otherwise.
     */
    @Test
    public void sigtermStopsCleanlyAndThePasswordAndAddressRulesHold() throws Exception {
        Path home = StorportOptions.freshDir("ConsoleIT-restart-home");
        String generated;
        try (ConsoleProduct first = ConsoleProduct.start(home, Map.of(), "--no-shell")) {
            String url = first.awaitConsole();
            generated = first.await(ConsoleProduct.GENERATED, Duration.ofSeconds(30)).group(2);
            assertEquals(200, ConsoleProduct.get(ConsoleProduct.PLAIN, url + "/system/console/storport/api/adapters", "Authorization",
                    ConsoleProduct.basic("admin", generated)).statusCode());
            assertFalse("loopback only", reachable("127.0.0.2", first.port));
            long t0 = System.nanoTime();
            int exit = first.stop(Duration.ofSeconds(20));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(first.err(), 0, exit);
            assertTrue("stopped in " + millis + " ms", millis < 10_000);
            assertFalse(first.err(), first.err().contains("Exception") || first.err().contains("\tat "));
            assertFalse("port closed", reachable("127.0.0.1", first.port));
        }
        // the next two runs side by side: the third on a copy of the home as the first left it (its stored hash
        // included), so neither run sees the other's files
        Path homeForTheEnvironment = StorportOptions.freshDir("ConsoleIT-restart-home-env");
        copyTree(home, homeForTheEnvironment);
        try (ConsoleProduct second = ConsoleProduct.start(home, Map.of(), "--no-shell");
                ConsoleProduct third = ConsoleProduct.start(homeForTheEnvironment, Map.of("STORPORT_CONSOLE_PASSWORD", "from the environment",
                        "STORPORT_CONSOLE_HOST", "127.0.0.2"), "--no-shell")) {
            String url = second.awaitConsole();
            second.await(java.util.regex.Pattern.compile("password of admin as printed at its first start"), Duration.ofSeconds(30));
            assertFalse(second.out(), second.out().contains(generated));
            assertEquals(200, ConsoleProduct.get(ConsoleProduct.PLAIN, url + "/system/console/storport/api/adapters", "Authorization",
                    ConsoleProduct.basic("admin", generated)).statusCode());
            assertEquals(0, second.stop(Duration.ofSeconds(20)));

            assertTrue("the stored hash is there for the environment to override",
                    Files.exists(homeForTheEnvironment.resolve("console-admin.pbkdf2")));
            url = third.awaitConsole();
            assertEquals("http://127.0.0.2:" + third.port, url);
            third.await(java.util.regex.Pattern.compile("password of admin from STORPORT_CONSOLE_PASSWORD"), Duration.ofSeconds(30));
            assertEquals(200, ConsoleProduct.get(ConsoleProduct.PLAIN, url + "/system/console/storport/api/adapters", "Authorization",
                    ConsoleProduct.basic("admin", "from the environment")).statusCode());
            assertEquals(401, ConsoleProduct.get(ConsoleProduct.PLAIN, url + "/system/console/storport/api/adapters", "Authorization",
                    ConsoleProduct.basic("admin", generated)).statusCode());
            assertFalse("bound where asked only", reachable("127.0.0.1", third.port));
            assertEquals(0, third.stop(Duration.ofSeconds(20)));
        }
    }

    /** The newcomer's way: {@code ./storport} opens the shell and serves the console at the printed address meanwhile. */
    @Test
    public void theInteractiveShellServesTheConsoleToo() throws Exception {
        Path home = StorportOptions.freshDir("ConsoleIT-interactive-home");
        try (ConsoleProduct shellRun = ConsoleProduct.start(home, Map.of("STORPORT_CONSOLE_PASSWORD", "pw",
                "STORPORT_NATIVE_ROOT", nativeRoot.toString()))) {
            String url = shellRun.awaitConsole();
            HttpResponse<String> map = ConsoleProduct.get(ConsoleProduct.PLAIN, url + "/system/console/storport/api/map/nvme0", "Authorization",
                    ConsoleProduct.basic("admin", "pw"));
            assertEquals(200, map.statusCode());
            assertEquals(shell.get("sim map --json nvme0"), map.body());
            shellRun.stdin.write("storport:msgid nvme0 0\n".getBytes(StandardCharsets.UTF_8));
            shellRun.stdin.close();
            assertTrue("the shell ends with its input", shellRun.process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(shellRun.err(), 0, shellRun.process.exitValue());
            assertTrue(shellRun.out(), shellRun.out().contains("g! 17\n"));
        }
    }

    /**
     * STORPORT_CONSOLE_TLS=generate: HTTPS only, with a self-signed certificate made at the first start
     * and kept (a client trusting exactly that certificate connects again after a restart); cookies
     * Secure and SameSite=Strict; the keystore's password on no command line; and the page works in a
     * real Chromium under its policy.
     */
    @Test
    public void overTlsTheConsoleWorksInTheBrowserUnderItsContentSecurityPolicy() throws Exception {
        Path home = StorportOptions.freshDir("ConsoleIT-tls-home");
        Map<String, String> env = Map.of("STORPORT_CONSOLE_TLS", "generate", "STORPORT_CONSOLE_PASSWORD", "pw-tls");
        HttpClient trusting;
        try (ConsoleProduct tls = ConsoleProduct.start(home, env, "--no-shell")) {
            WebDriver browser = browserForOneTest(true); // starts while the product does
            String url = tls.awaitConsole();
            assertEquals("https://127.0.0.1:" + tls.port, url);
            assertTrue(tls.err(), tls.err().contains("storport console: generated a self-signed TLS certificate for dns:localhost,ip:127.0.0.1"));
            assertEquals("owner read/write only", Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(home.resolve("console-tls.p12")));
            String storePassword = Files.readString(home.resolve("console-tls.pass")).trim();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(home.resolve("console-tls.p12"))) {
                store.load(in, storePassword.toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            trusting = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> api = ConsoleProduct.get(trusting, url + "/system/console/storport/api/adapters", "Authorization",
                    ConsoleProduct.basic("admin", "pw-tls"));
            assertEquals(api.body(), 200, api.statusCode());
            List<String> cookies = api.headers().allValues("Set-Cookie");
            String session = cookies.stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
            assertTrue(session, session.contains("; Secure") && session.contains("SameSite=Strict") && session.contains("HttpOnly"));
            try {
                HttpResponse<String> plain = ConsoleProduct.get(ConsoleProduct.PLAIN, "http://127.0.0.1:" + tls.port
                        + "/system/console/storport/api/adapters", "Authorization", ConsoleProduct.basic("admin", "pw-tls"));
                assertFalse("no data over plain HTTP: " + plain.body(), plain.statusCode() == 200 || plain.body().contains("adapters"));
            } catch (IOException refused) {
                // Jetty closes a plain-text connection to its TLS port: nothing served either
            }
            for (ProcessHandle p : tls.process.descendants().toList()) {
                Path cmdline = Path.of("/proc", String.valueOf(p.pid()), "cmdline");
                if (Files.exists(cmdline)) {
                    assertFalse("the keystore's password is on no command line", new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8)
                            .contains(storePassword));
                }
            }

            WebDriver d = loggedIn(browser, url, "pw-tls");
            try {
                seed(d, "5");
                await("the seed call's answer over TLS", () -> "STOR_STATUS_SUCCESS".equals(d.findElement(By.id("sp-seed-result"))
                        .getAttribute("data-status")));
                screenshot(d, "over-tls");
            } finally {
                quit(d);
            }
            assertEquals(tls.err(), 0, tls.stop(Duration.ofSeconds(20)));
        }
        try (ConsoleProduct again = ConsoleProduct.start(home, env, "--no-shell")) {
            String url = again.awaitConsole();
            assertFalse("the certificate is kept: " + again.err(), again.err().contains("generated"));
            assertEquals("the same certificate", 200, ConsoleProduct.get(trusting, url + "/system/console/storport/api/adapters",
                    "Authorization", ConsoleProduct.basic("admin", "pw-tls")).statusCode());
            assertEquals(0, again.stop(Duration.ofSeconds(20)));
        }
    }

    /**
     * Plain HTTP beyond loopback takes an explicit opt-in and says so; a keystore that does not open
     * is named with the reason; neither starts a JVM.
     */
    @Test
    public void plainHttpBeyondLoopbackNeedsAnOptInAndABadKeystoreIsNamed() throws Exception {
        Path home = StorportOptions.freshDir("ConsoleIT-insecure-home");
        try (ConsoleProduct refused = ConsoleProduct.start(home, Map.of("STORPORT_CONSOLE_HOST", "0.0.0.0"), "--no-shell")) {
            assertTrue(refused.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(2, refused.process.exitValue());
            assertTrue(refused.err(), refused.err().contains("storport: the console would listen on 0.0.0.0 without TLS and its password would"
                    + " cross the network in clear text; set STORPORT_CONSOLE_TLS=generate"));
        }
        Path junkDir = Files.createDirectories(StorportOptions.freshDir("ConsoleIT-junk"));
        Path junk = Files.writeString(junkDir.resolve("console.p12"), "not a keystore");
        try (ConsoleProduct bad = ConsoleProduct.start(home, Map.of("STORPORT_CONSOLE_TLS", junk.toString(), "STORPORT_CONSOLE_TLS_PASSWORD",
                "x"), "--no-shell")) {
            assertTrue(bad.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(2, bad.process.exitValue());
            assertTrue(bad.err(), bad.err().contains("storport: STORPORT_CONSOLE_TLS: " + junk + " does not open as a PKCS#12 keystore"));
        }
        try (ConsoleProduct noPassword = ConsoleProduct.start(home, Map.of("STORPORT_CONSOLE_TLS", junk.toString()), "--no-shell")) {
            assertTrue(noPassword.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(2, noPassword.process.exitValue());
            assertTrue(noPassword.err(), noPassword.err().contains("its password goes in STORPORT_CONSOLE_TLS_PASSWORD"));
        }
        try (ConsoleProduct insecure = ConsoleProduct.start(home, Map.of("STORPORT_CONSOLE_HOST", "0.0.0.0", "STORPORT_CONSOLE_INSECURE", "1",
                "STORPORT_CONSOLE_PASSWORD", "pw"), "--no-shell")) {
            insecure.awaitConsole();
            assertTrue(insecure.err(), insecure.err().contains("storport: WARNING: the console listens on 0.0.0.0 without TLS"));
            assertEquals(0, insecure.stop(Duration.ofSeconds(20)));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Copies a folder with its files' permissions (STORPORT_HOME is private). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static String auth() {
        return ConsoleProduct.basic("admin", password);
    }

    private static String apiGet(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = ConsoleProduct.get(ConsoleProduct.PLAIN, url, "Authorization", auth());
        assertEquals(url + ": " + r.body(), 200, r.statusCode());
        assertEquals("application/json;charset=utf-8", r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase());
        return r.body();
    }

    private static String active() throws IOException, InterruptedException {
        return (String) Json.object(apiGet(base + "/system/console/storport/api/backend")).get("active");
    }

    private static int processors() throws IOException, InterruptedException {
        return ((List<?>) Json.object(apiGet(base + "/system/console/storport/api/topology")).get("processors")).size();
    }

    /** Switches over the API, as a script would: a session, its token, same origin. */
    private static void switchTo(String backend) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String url = base + "/system/console/storport/api/backend";
        String token = ConsoleProduct.get(client, url, "Authorization", auth()).headers().firstValue("X-Storport-CSRF").orElseThrow();
        HttpResponse<String> r = ConsoleProduct.post(client, url, "name=" + backend, "Authorization", auth(), "Origin", base,
                "X-Storport-CSRF", token);
        assertEquals(r.body(), 200, r.statusCode());
    }

    /** Edits storport.sim.host through the Web Console's Configuration page (its form post). */
    private static void configureHost(String spec) throws IOException, InterruptedException {
        HttpResponse<String> r = ConsoleProduct.post(ConsoleProduct.PLAIN, base + "/system/console/configMgr/storport.sim.host",
                "apply=true&action=ajaxConfigManager&propertylist=spec&spec=" + URLEncoder.encode(spec, StandardCharsets.UTF_8),
                "Authorization", auth(), "Origin", base);
        assertTrue(r.statusCode() + " " + r.body(), r.statusCode() == 200 || r.statusCode() == 302);
    }

    /** Waits for the server side; returns when it became true (nanoTime, ms). */
    private static long awaitServer(IoCondition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("the server never got there");
            }
            Thread.sleep(20);
        }
        return System.nanoTime() / 1_000_000;
    }

    private static long awaitPage(WebDriver d, Supplier<Boolean> condition) {
        await("the page to update", condition);
        return System.nanoTime() / 1_000_000;
    }

    interface IoCondition {
        boolean get() throws Exception;
    }

    /**
     * After a switch from page {@code from}: when the server reported the new backend, and when the
     * other page showed it (ms). Polls all three together, so both times are on one clock.
     */
    private static long[] followSwitch(WebDriver from, WebDriver other, String backend) throws Exception {
        long server = -1, page = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server < 0 || page < 0 || !backend.equals(js(from, "return window.storportMap.backend"))) {
            if (System.nanoTime() > deadline) {
                fail("no switch to " + backend + " seen: server " + server + ", page " + page + ", first page "
                        + js(from, "return window.storportMap.backend") + " " + from.findElement(By.id("sp-backend-status")).getText());
            }
            long now = System.nanoTime() / 1_000_000;
            if (server < 0 && backend.equals(active())) {
                server = now;
            }
            if (page < 0 && backend.equals(js(other, "return window.storportMap.backend"))) {
                page = System.nanoTime() / 1_000_000;
                if (server < 0) {
                    server = page;
                }
            }
            Thread.sleep(20);
        }
        return new long[] { server, page };
    }

    private static WebDriver browser() throws IOException {
        return browser(false);
    }

    /**
     * A browser for one test, ended by {@link #quit}: with a chromedriver of its own, as quitting a
     * session stops the driver service it was started with (the shared one serves the shared browser).
     */
    private static WebDriver browserForOneTest(boolean selfSigned) throws IOException {
        ChromeDriverService own = new ChromeDriverService.Builder().usingDriverExecutable(new File(System.getProperty("chromedriver.binary")))
                .usingAnyFreePort().build();
        own.start();
        try {
            return browser(own, selfSigned);
        } catch (RuntimeException | IOException e) {
            own.stop();
            throw e;
        }
    }

    /**
     * A headless Chromium of its own; {@code selfSigned}: it accepts the console's self-signed
     * certificate. Every page records the content security policy violations it reports
     * ({@code window.__cspViolations}: directive and what was blocked), by a script the browser runs
     * before the page's own, whatever the policy.
     */
    private static WebDriver browser(boolean selfSigned) throws IOException {
        return browser(service, selfSigned);
    }

    private static WebDriver browser(ChromeDriverService driverService, boolean selfSigned) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary"));
        options.setAcceptInsecureCerts(selfSigned);
        Path profile = StorportOptions.freshDir("ConsoleIT-chromium-" + browsersStarted++);
        Files.createDirectories(profile);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions", "--window-size=1400,1000",
                "--force-device-scale-factor=1", "--user-data-dir=" + profile);
        ChromeDriver d = new ChromeDriver(driverService, options);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        d.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", "window.__cspViolations = [];"
                + "document.addEventListener('securitypolicyviolation', function (e) {"
                + " window.__cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI); });"));
        drivers.add(d);
        return d;
    }

    /**
     * The shared browser, logged in through the form (by the first test that asks), showing a freshly
     * loaded and drawn storport page under the same checks as right after the login.
     */
    private static WebDriver loggedIn() throws IOException {
        if (sharedBrowser == null) {
            sharedBrowser = loggedIn(browser(), base, password);
            return sharedBrowser;
        }
        sharedBrowser.get(base + "/system/console/storport");
        return drawnUnderItsPolicy(sharedBrowser);
    }

    /** Ends a browser that served one test only, and its chromedriver. */
    private static void quit(WebDriver d) {
        drivers.remove(d);
        try {
            d.quit();
        } catch (RuntimeException e) {
            // already gone
        }
    }

    /**
     * Logs in through the form and waits for the drawn storport page, which runs under its strict
     * policy: nothing blocked but the Web Console header's two inline scripts, whose work storport.js
     * does (the navigation menu is set up).
     */
    private static WebDriver loggedIn(WebDriver d, String base, String password) {
        d.get(base + "/system/console/storport");
        assertNull("nothing drawn before login", js(d, "return window.storportMap || null"));
        d.findElement(By.id("password")).sendKeys(password);
        d.findElement(By.id("login-submit")).click();
        return drawnUnderItsPolicy(d);
    }

    /** Waits for the drawn storport page and checks it ran under its strict policy (see {@link #loggedIn(WebDriver, String, String)}). */
    private static WebDriver drawnUnderItsPolicy(WebDriver d) {
        await("the drawn heatmap", () -> Boolean.TRUE.equals(js(d, "return !!(window.storportMap && window.storportMap.processors.length)")));
        assertTrue(d.getCurrentUrl(), d.getCurrentUrl().endsWith("/system/console/storport"));
        List<?> violations = (List<?>) js(d, "return window.__cspViolations");
        assertTrue("only inline scripts blocked: " + violations, violations.stream().allMatch(v -> v.equals("script-src-elem inline")));
        assertTrue("the Web Console header's two, at most: " + violations, violations.size() <= 2);
        assertEquals("the navigation menu, set up by storport.js", Boolean.TRUE,
                js(d, "return document.getElementById('navmenu').classList.contains('ui-menu')"));
        assertEquals("the globals the Web Console's support.js reads", "/system/console", js(d, "return window.appRoot"));
        return d;
    }

    private static Object js(WebDriver d, String script, Object... args) {
        return ((JavascriptExecutor) d).executeScript(script, args);
    }

    private static String text(WebDriver d, String id) {
        return unstale(() -> {
            List<WebElement> found = d.findElements(By.id(id));
            return found.isEmpty() ? null : found.get(0).getText();
        });
    }

    /** The colour the canvas holds at the centre of a processor's cell, as #rrggbb. */
    private static String pixel(WebDriver d, int processor) {
        return (String) js(d, "var m = window.storportMap, p = m.processors[arguments[0]];"
                + "var c = document.getElementById('sp-heatmap').getContext('2d');"
                + "var px = c.getImageData(Math.floor((p.x + p.w / 2) * m.scale), Math.floor((p.y + p.h / 2) * m.scale), 1, 1).data;"
                + "return '#' + [px[0], px[1], px[2]].map(v => v.toString(16).padStart(2, '0')).join('');", processor);
    }

    /** Inside the cell but off its outline and centre, for highlighted cells. */
    private static String pixelOffCentre(WebDriver d, int processor) {
        return (String) js(d, "var m = window.storportMap, p = m.processors[arguments[0]];"
                + "var c = document.getElementById('sp-heatmap').getContext('2d');"
                + "var px = c.getImageData(Math.floor((p.x + p.w / 2) * m.scale), Math.floor((p.y + 3) * m.scale), 1, 1).data;"
                + "return '#' + [px[0], px[1], px[2]].map(v => v.toString(16).padStart(2, '0')).join('');", processor);
    }

    /** A real mouse click in the middle of a processor's cell (scrolled into view first). */
    private static void clickProcessor(WebDriver d, int processor) {
        List<?> at = (List<?>) js(d, "var m = window.storportMap, p = m.processors[arguments[0]], c = document.getElementById('sp-heatmap');"
                + "var r = c.getBoundingClientRect();"
                + "window.scrollBy(0, r.top + c.clientTop + p.y + p.h / 2 - window.innerHeight / 2);"
                + "r = c.getBoundingClientRect();"
                + "return [Math.round(r.left + c.clientLeft + p.x + p.w / 2), Math.round(r.top + c.clientTop + p.y + p.h / 2)];", processor);
        new Actions(d).moveToLocation(((Number) at.get(0)).intValue(), ((Number) at.get(1)).intValue()).click().perform();
    }

    private static void seed(WebDriver d, String index) {
        WebElement input = d.findElement(By.id("sp-seed-index"));
        input.clear();
        input.sendKeys(index);
        d.findElement(By.id("sp-seed-call")).click();
    }

    /** Runs a read of elements again, found afresh, when the page replaced them meanwhile (it redraws as data comes in). */
    private static <T> T unstale(Supplier<T> read) {
        for (int attempt = 1;; attempt++) {
            try {
                return read.get();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Boolean.TRUE.equals(condition.get())) {
            if (System.nanoTime() > deadline) {
                fail("waited 30 s for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private static Path screenshotPath(String name) {
        return Path.of(System.getProperty("storport.screenshots", "target/screenshots"), name + ".png");
    }

    private static void screenshot(WebDriver d, String name) throws IOException {
        Path target = screenshotPath(name);
        Files.createDirectories(target.getParent());
        Files.copy(((TakesScreenshot) d).getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static {
        // Selenium must never fetch a browser or a driver: both are given explicitly
        System.setProperty("webdriver.chrome.driver", System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    }
}

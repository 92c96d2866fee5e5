package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import storport.api.backend.Backends;
import storport.api.sim.SimulatorControl;
import storport.api.StorPort;
import storport.api.StorStatus;
import storport.api.ULongHolder;

/** The product in a real Felix framework: bundles, components, every shell command, policies, bad input, live changes. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProductIT {
    static final String[] COMMANDS = {"adapters", "msgid", "map", "messages", "topology", "backend", "sim-host", "sim-adapter",
        "sim-remove", "check", "rates", "compare"};

    @Inject
    BundleContext context;
    @Inject
    CommandProcessor processor;
    @Inject
    SimulatorControl sim;
    @Inject
    Backends backends;
    @Inject
    StorPort storport;
    @Inject
    ConfigurationAdmin configurationAdmin;
    @Inject
    ServiceComponentRuntime scr;

    private Gogo gogo;

    @Configuration
    public Option[] config() {
        // the test's addition: the README's DS consumer of StorPort
        return OptionUtils.combine(StorportOptions.base(StorportOptions.freshDir("ProductIT")),
                StorportOptions.bundleOf("bundle.storport.example"));
    }

    @Before
    public void setUp() throws Exception {
        Gogo.awaitCommands(context, COMMANDS);
        Sims.reset(sim);
        gogo = new Gogo(processor);
    }

    @After
    public void tearDown() {
        gogo.close();
    }

    /**
     * The commands return their output, as Gogo's own do: a script keeps a value in a variable and a
     * pipe carries it to the next command (here a line counter this test registers, reading the pipe
     * from its standard input as any Gogo command would).
     */
    /** storport:check in the product: the shell contract's JSON, a finding code for each finding, the adapters the host has. */
    @Test
    public void checkReportsFindingsInTheContractsShape() throws Exception {
        Map<String, Object> doc = Json.object(gogo.run("storport:check --json").trim());
        assertEquals("sim", doc.get("backend"));
        java.util.Set<String> adapters = new java.util.HashSet<>();
        storport.host().adapters().forEach(a -> adapters.add(a.id()));
        for (Object o : (List<?>) doc.get("findings")) {
            Map<?, ?> f = (Map<?, ?>) o;
            assertTrue(f.toString(), List.of("no-message", "single-vector", "cross-node", "isolated", "effective-outside", "uneven", "idle-message")
                    .contains(f.get("code")));
            assertTrue(f.toString(), List.of("info", "warning", "error").contains(f.get("severity")));
            assertTrue(f.toString(), adapters.contains(f.get("adapter")));
            assertTrue(f.toString(), !String.valueOf(f.get("text")).isBlank());
        }
    }

    /**
     * storport:rates on the simulator: its load model (each processor 1,000 completions a second,
     * counted on the serving message's handling CPU) gives each message 1,000/s per processor it serves.
     */
    @Test
    public void ratesOnTheSimulatorFollowItsLoadModel() throws Exception {
        Map<String, Object> doc = Json.object(gogo.run("storport:rates --seconds 0.5 --json sas0").trim());
        assertEquals("sim", doc.get("backend"));
        assertEquals("load model", doc.get("source"));
        double seconds = ((Number) doc.get("seconds")).doubleValue();
        assertTrue("seconds " + seconds, seconds >= 0.5 && seconds < 5);
        storport.api.Adapter sas0 = storport.host().adapter("sas0");
        for (Object o : (List<?>) doc.get("messages")) {
            Map<?, ?> m = (Map<?, ?>) o;
            int id = ((Long) m.get("id")).intValue();
            long served = java.util.stream.IntStream.range(0, storport.host().topology().processorCount()).filter(p -> sas0.messageOf(p) == id).count();
            double perSecond = ((Number) m.get("perSecond")).doubleValue();
            assertEquals("message " + id + " serves " + served + " processors: " + m, served * 1000.0, perSecond, served * 1000.0 * 0.05 + 1);
            for (Object c : (List<?>) m.get("cpus")) {
                // the round-robin map's targets are exactly the processors it serves: each counts its own completions
                assertEquals(id, sas0.messageOf(((Long) ((Map<?, ?>) c).get("index")).intValue()));
            }
        }
        assertTrue(gogo.run("storport:rates sas0 --seconds 0.2").startsWith("adapter sas0: interrupts in 0.2 s (load model)\nMESSAGE  TOTAL  PER-SECOND  CPU:COUNT\n"));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: --seconds takes a number of seconds from 0.1 to 3600, not '0'",
                gogo.fail("storport:rates sas0 --seconds 0").trim());
    }

    /** storport:compare in the product: the what-if maps of the simulator's policies on the active host, scored. */
    @Test
    public void compareScoresPoliciesOnTheActiveHost() throws Exception {
        Map<String, Object> doc = Json.object(gogo.run("storport:compare --json --isolated 3 nvme0 current numa-spread managed_irq win-all-close").trim());
        assertEquals("nvme0", doc.get("adapter"));
        assertEquals(List.of(3L), doc.get("isolated"));
        List<?> policies = (List<?>) doc.get("policies");
        Map<?, ?> current = (Map<?, ?>) policies.get(0);
        Map<?, ?> spread = (Map<?, ?>) policies.get(1);
        Map<?, ?> managed = (Map<?, ?>) policies.get(2);
        Map<?, ?> close = (Map<?, ?>) policies.get(3);
        List<Long> map = new java.util.ArrayList<>();
        for (int p = 0; p < 80; p++) {
            map.add((long) storport.messageInterruptId("nvme0", p));
        }
        assertEquals("current is the map the seed call answers", map, current.get("map"));
        assertEquals("nvme0 is numa-spread", map, spread.get("map"));
        assertEquals(List.of(32L, 2L, 3L), List.of(spread.get("messagesUsed"), ((Map<?, ?>) spread.get("processorsPerMessage")).get("min"),
                ((Map<?, ?>) spread.get("processorsPerMessage")).get("max")));
        assertEquals("CPU 3 handles message 18", 1L, spread.get("isolated"));
        assertEquals("managed_irq delivers it to 4-5", 0L, managed.get("isolated"));
        assertEquals("close processors: node 0 only", 40L, close.get("noMessage"));
        String text = gogo.run("storport:compare sas0 current win-spread --offline 0-15");
        assertTrue(text, text.startsWith("adapter sas0 on sim, 80 processors, offline 0-15\nPOLICY"));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: --offline: CPU 99 is not an online CPU of this host",
                gogo.fail("storport:compare nvme0 current --offline 99").trim());
        assertTrue(gogo.fail("storport:compare nvme0 fastest").trim().startsWith("STOR_STATUS_INVALID_PARAMETER: unknown policy 'fastest' (policies: "));
    }

    @Test
    public void aScriptKeepsACommandsValueAndPipesIt() throws Exception {
        // a Long: a message ID is a ULONG, and Karaf's console prints a command's Long (not its Integer)
        long expected = storport.messageInterruptId("nvme0", 5);
        Object value = gogo.session().execute("x = storport:msgid nvme0 5");
        assertEquals(expected, value);
        assertEquals(expected, gogo.session().get("x"));
        assertEquals(expected + "\n", gogo.run("$x"));
        assertEquals("the value is the one printed", gogo.run("storport:msgid nvme0 5"), gogo.run("$x"));
        String json = (String) gogo.session().execute("doc = storport:map --json nvme0");
        assertEquals(storport.messageInterruptId("nvme0", 7), ((Number) ((Map<?, ?>) ((List<?>) Json.object(json).get("processors")).get(7))
                .get("message")).intValue());

        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "producttest");
        props.put("osgi.command.function", new String[] { "lines" });
        ServiceRegistration<Object> counter = context.registerService(Object.class, new LineCounter(), props);
        try {
            String table = gogo.run("storport:adapters");
            Object lines = gogo.session().execute("storport:adapters | producttest:lines");
            assertEquals("every line of the table went through the pipe: " + table, table.split("\n").length, ((Number) lines).intValue());
        } finally {
            counter.unregister();
        }
    }

    /** {@code producttest:lines}: the number of lines on standard input (Gogo's pipe). */
    public static final class LineCounter {
        public int lines() throws java.io.IOException {
            return (int) new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().count();
        }
    }

    /** The README's consumer, a real DS component in its own bundle, answers the seed call as the API does. */
    @Test
    public void theReadmesConsumerAnswersTheSeedCall() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        ServiceReference<?>[] refs;
        while ((refs = context.getAllServiceReferences("storport.example.QueueSteering", null)) == null) {
            assertTrue("the example's component registers", System.currentTimeMillis() < deadline);
            Thread.sleep(20);
        }
        Object consumer = context.getService(refs[0]);
        java.lang.reflect.Method messageFor = consumer.getClass().getMethod("messageFor", String.class, int.class);
        for (int p = 0; p < 80; p += 7) {
            assertEquals("processor " + p, storport.messageInterruptId("nvme0", p), messageFor.invoke(consumer, "nvme0", p));
        }
        try {
            messageFor.invoke(consumer, "nvme0", 80);
            throw new AssertionError("processor 80 does not exist");
        } catch (java.lang.reflect.InvocationTargetException e) {
            assertEquals("STOR_STATUS_INVALID_PARAMETER: processor index 80 is outside 0..79", e.getCause().getMessage());
        } finally {
            context.ungetService(refs[0]);
        }
    }

    @Test
    public void everyBundleIsActiveAndEveryComponentSatisfied() {
        Set<String> seen = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            seen.add(b.getSymbolicName());
            if (b.getBundleId() != 0 && b.getHeaders().get("Fragment-Host") == null) {
                assertEquals(b.getSymbolicName() + " state", Bundle.ACTIVE, b.getState());
            }
        }
        for (String name : List.of("storport.api", "storport.select", "storport.sim", "storport.shell", "org.apache.felix.scr",
                "org.apache.felix.configadmin", "org.apache.felix.gogo.runtime")) {
            assertTrue(name + " is installed", seen.contains(name));
        }
        // the runtime is storport.bndrun's, as bnd resolved it into storport.jar: a bundle added there runs here
        String runbundles = context.getProperty(StorportOptions.RUNBUNDLES);
        assertTrue(runbundles, runbundles.contains("org.apache.felix.webconsole") && runbundles.contains("storport.console"));
        for (String name : runbundles.split(",")) {
            assertTrue(name + " of storport.bndrun runs in the test framework", seen.contains(name));
        }
        int components = 0;
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!d.bundle.symbolicName.startsWith("storport.")) {
                continue;
            }
            components++;
            assertTrue(d.name + " is enabled", scr.isComponentEnabled(d));
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                assertTrue(d.name + " is satisfied or active, state " + c.state,
                        c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED);
            }
        }
        assertTrue("storport has components, found " + components, components >= 6);
    }

    @Test
    public void everyCommandIsRegisteredWithHelp() throws Exception {
        for (String command : COMMANDS) {
            assertNotNull(command, context.getServiceReferences((String) null,
                    "(&(osgi.command.scope=storport)(osgi.command.function=" + command + "))"));
        }
        String help = gogo.run("help storport:msgid");
        assertTrue(help, help.contains("msgid"));
        assertTrue("help explains the command: " + help, help.toLowerCase().contains("message"));
    }

    @Test
    public void defaultHostAnswersTheSeedCall() throws Exception {
        // Linux serves node 1 first on two equal nodes (storport.sim's linux-kernel-maps.txt, booted kernels)
        assertEquals("17", gogo.run("storport:msgid nvme0 0").trim());
        for (int p = 0; p < 80; p++) {
            assertEquals("sas0 round-robin over 16 messages from 0", String.valueOf(p % 16),
                    gogo.run("storport:msgid sas0 " + p).trim());
        }
        Map<String, Object> map = Json.object(gogo.run("storport:map --json nvme0"));
        assertEquals("sim", map.get("backend"));
        List<?> processors = (List<?>) map.get("processors");
        assertEquals(80, processors.size());
        Set<Long> groups = new TreeSet<>();
        for (int p = 0; p < 80; p++) {
            Map<?, ?> e = (Map<?, ?>) processors.get(p);
            assertEquals((long) p, e.get("index"));
            groups.add((Long) e.get("group"));
            long m = (Long) e.get("message");
            assertTrue("message " + m + " in 1..32", m >= 1 && m <= 32);
            assertEquals("group of " + p, p < 40 ? 0L : 1L, e.get("group"));
            assertEquals("number of " + p, (long) (p % 40), e.get("number"));
        }
        assertEquals(Set.of(0L, 1L), groups);
        assertPartition(map, 80);
        // nodes of 40 split 16 messages each: 8 of 3 processors then 8 of 2; node 1 on 1..16, node 0 on 17..32
        assertEquals("19", gogo.run("storport:msgid nvme0 6").trim());
        assertEquals("1", gogo.run("storport:msgid nvme0 40").trim());

        List<?> messages = (List<?>) Json.object(gogo.run("storport:messages --json nvme0")).get("messages");
        assertEquals(33, messages.size());
        Map<?, ?> admin = (Map<?, ?>) messages.get(0);
        assertEquals("message 0 (admin) serves no processor", List.of(), admin.get("processors"));
        Map<?, ?> first = (Map<?, ?>) messages.get(1);
        assertEquals(List.of(40L, 41L, 42L), first.get("processors"));
        assertEquals(List.of(Map.of("group", 1L, "mask", "0x7")), first.get("targets"));
        Map<?, ?> last = (Map<?, ?>) messages.get(32);
        assertEquals(List.of(38L, 39L), last.get("processors"));
        assertEquals(List.of(Map.of("group", 0L, "mask", "0xc000000000")), last.get("targets"));

        List<?> adapters = (List<?>) Json.object(gogo.run("storport:adapters --json")).get("adapters");
        assertEquals(2, adapters.size());
        Map<?, ?> nvme0 = (Map<?, ?>) adapters.get(0);
        Map<?, ?> sas0 = (Map<?, ?>) adapters.get(1);
        assertEquals(List.of("nvme0", 0L, 33L, 1L, 32L, "numa-spread"), List.of(nvme0.get("id"), nvme0.get("node"),
                nvme0.get("messages"), nvme0.get("firstRedirection"), nvme0.get("lastRedirection"), nvme0.get("policy")));
        assertEquals(List.of("sas0", 1L, 16L, 0L, 15L, "round-robin"), List.of(sas0.get("id"), sas0.get("node"),
                sas0.get("messages"), sas0.get("firstRedirection"), sas0.get("lastRedirection"), sas0.get("policy")));
    }

    /**
     * The rank at which Linux visits each of N equal NUMA nodes, as booted kernels showed it (storport.sim's
     * linux-kernel-maps.txt): 6.12 (numa-spread) visits 4 nodes 1, 3, 2, 0; 6.1 (numa-spread-legacy) 1, 2, 3, 0.
     */
    private static final Map<Integer, int[]> RANK = Map.of(1, new int[] {0}, 2, new int[] {1, 0}, 4, new int[] {3, 0, 2, 1});
    private static final Map<Integer, int[]> LEGACY_RANK = Map.of(1, new int[] {0}, 2, new int[] {1, 0}, 4, new int[] {3, 0, 1, 2});

    @Test
    public void everyPolicyOnSeveralTopologies() throws Exception {
        // spec, processors, NUMA nodes (equal), processors per numa-spread message with 8 I/O messages
        Object[][] hosts = {
            {"core:16", 16, 1, 2},
            {"node:2 core:8 pu:2", 32, 2, 4},
            {"package:2 node:2 core:10 pu:2", 80, 4, 10},
            {"node:4 core:40 pu:2", 320, 4, 40},
        };
        for (Object[] h : hosts) {
            String spec = (String) h[0];
            int n = (Integer) h[1];
            int nodes = (Integer) h[2];
            int perMessage = (Integer) h[3];
            gogo.run("storport:sim-remove sas0");
            gogo.run("storport:sim-host " + spec);
            StringBuilder table = new StringBuilder();
            for (int p = 0; p < n; p++) {
                table.append(p == 0 ? "" : ",").append(1 + (p * 7) % 8);
            }
            gogo.run("storport:sim-adapter t --messages 9 --policy numa-spread");
            int[] numa = messages("t", n);
            gogo.run("storport:sim-adapter t --messages 9 --policy numa-spread-legacy");
            int[] legacy = messages("t", n);
            gogo.run("storport:sim-adapter t --messages 9 --policy round-robin");
            int[] rr = messages("t", n);
            gogo.run("storport:sim-adapter t --messages 9 --policy single");
            int[] single = messages("t", n);
            gogo.run("storport:sim-adapter t --messages 9 --policy explicit --table " + table);
            int[] explicit = messages("t", n);
            int nodeSize = n / nodes;
            int perNode = 8 / nodes;
            for (int p = 0; p < n; p++) {
                // CPU order = index order here; each node's messages in a block at the node's rank
                int within = (p % nodeSize) / perMessage;
                assertEquals(spec + " numa-spread p" + p, 1 + RANK.get(nodes)[p / nodeSize] * perNode + within, numa[p]);
                assertEquals(spec + " numa-spread-legacy p" + p, 1 + LEGACY_RANK.get(nodes)[p / nodeSize] * perNode + within,
                        legacy[p]);
                assertEquals(spec + " round-robin p" + p, 1 + p % 8, rr[p]);
                assertEquals(spec + " single p" + p, 1, single[p]);
                assertEquals(spec + " explicit p" + p, 1 + (p * 7) % 8, explicit[p]);
            }
            assertPartition(Json.object(gogo.run("storport:map --json t")), n);
            gogo.run("storport:sim-remove t");
            Sims.reset(sim);
        }
        // 320 processors in nodes of 80: each node has a group of 64 and one of 16
        gogo.run("storport:sim-remove sas0");
        gogo.run("storport:sim-host node:4 core:40 pu:2");
        Map<String, Object> topology = Json.object(gogo.run("storport:topology --json"));
        assertEquals(8, ((List<?>) topology.get("groups")).size());
        Map<?, ?> p64 = (Map<?, ?>) ((List<?>) topology.get("processors")).get(64);
        Map<?, ?> p80 = (Map<?, ?>) ((List<?>) topology.get("processors")).get(80);
        assertEquals(List.of(1L, 0L, 0L), List.of(p64.get("group"), p64.get("number"), p64.get("node")));
        assertEquals(List.of(2L, 0L, 1L), List.of(p80.get("group"), p80.get("number"), p80.get("node")));
    }

    @Test
    public void badInputIsRefusedClearlyAndChangesNothing() throws Exception {
        String before = state();
        for (String index : List.of("-1", "80", "2147483647", "99999999999", "abc")) {
            String e = gogo.fail("storport:msgid nvme0 " + index);
            assertTrue(index + ": " + e, e.startsWith("STOR_STATUS_INVALID_PARAMETER: "));
            assertTrue(index + " named in: " + e, e.contains(index));
        }
        assertTrue(gogo.fail("storport:msgid nope 0").startsWith("STOR_STATUS_INVALID_PARAMETER: "));
        ULongHolder holder = new ULongHolder();
        assertEquals(StorStatus.INVALID_PARAMETER.code(), storport.getMessageInterruptIdFromProcessorIndex(null, 0, holder));
        assertEquals(StorStatus.INVALID_PARAMETER.code(), storport.getMessageInterruptIdFromProcessorIndex("nvme0", 0, null));
        assertEquals(StorStatus.SUCCESS.code(), storport.getMessageInterruptIdFromProcessorIndex("nvme0", 0, holder));
        assertEquals(17, holder.value);

        List<String> refused = new ArrayList<>(List.of(
                "storport:sim-host node:0", "storport:sim-host core:-3", "storport:sim-host core:abc", "storport:sim-host \"\"",
                "storport:sim-host l3:2", "storport:sim-host node:128 core:64 pu:2",
                "storport:sim-adapter x --messages 0", "storport:sim-adapter x --messages 2049",
                "storport:sim-adapter x --messages 4 --first 4", "storport:sim-adapter x --messages 4 --policy nope",
                "storport:sim-adapter x --messages 4 --node 7", "storport:sim-adapter x --messages 4 --policy explicit --table 1,2,3",
                "storport:sim-adapter x --messages 4 --policy explicit --table " + "4,".repeat(79) + "4",
                "storport:sim-adapter nvme0 --messages abc",
                "storport:backend nope", "storport:sim-remove nope"));
        for (String line : refused) {
            String e = gogo.fail(line);
            assertTrue(line + ": " + e, e.startsWith("STOR_STATUS_"));
            assertTrue(line + " explains itself: " + e, e.length() > "STOR_STATUS_INVALID_PARAMETER: ".length() + 10);
            assertEquals("state after '" + line + "'", before, state());
        }
        assertEquals("17", gogo.run("storport:msgid nvme0 0").trim());
    }

    @Test
    public void backendSwitchesThroughTheShellAndFallsOverWhenTheActiveOneGoes() throws Exception {
        TestBackend test = new TestBackend(80);
        test.register(context);
        try {
            assertTrue(gogo.run("storport:backend").contains("* sim"));
            assertEquals("backend: test", gogo.run("storport:backend test").trim());
            assertEquals(String.valueOf(TestBackend.expected(3)), gogo.run("storport:msgid nvme0 3").trim());
            String listing = gogo.run("storport:backend");
            assertTrue(listing, listing.contains("* test") && listing.contains("preferred") && listing.contains("  sim"));
            assertEquals("test", Json.object(gogo.run("storport:map --json nvme0")).get("backend"));
        } finally {
            test.unregister();
        }
        // the chosen backend went away: consumers are on the simulator, and the choice is kept for its return
        assertEquals("17", gogo.run("storport:msgid nvme0 0").trim());
        assertEquals("sim", backends.active());
        assertEquals("test", backends.preferred());
        assertTrue(gogo.fail("storport:backend test").contains("backend 'test' is not registered now (available: sim)"));
        assertEquals("backend: sim", gogo.run("storport:backend sim").trim());
        assertEquals("sim", backends.preferred());
    }

    @Test
    public void configurationChangesApplyLive() throws Exception {
        gogo.run("storport:sim-adapter nvme0 --messages 5");
        // 4 I/O messages on two equal nodes: node 1 first (messages 1, 2), then node 0 (3, 4)
        assertEquals("3", gogo.run("storport:msgid nvme0 0").trim());
        assertEquals("2", gogo.run("storport:msgid nvme0 79").trim());
        // straight through Config Admin, as a management console would
        org.osgi.service.cm.Configuration c = configurationAdmin.getFactoryConfiguration("storport.sim.adapter", "nvme0", "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("name", "nvme0");
        props.put("messages", 5);
        props.put("policy", "round-robin");
        c.update(props);
        awaitAnswer("storport:msgid nvme0 1", "2");
        // an invalid change written into Config Admin is refused; the last good state keeps serving
        props.put("messages", 0);
        c.update(props);
        props.put("messages", 3);
        props.put("policy", "single");
        configurationAdmin.getFactoryConfiguration("storport.sim.adapter", "marker", "?").update(withName(props, "marker"));
        awaitAnswer("storport:msgid marker 5", "1"); // later events were processed
        assertEquals("2", gogo.run("storport:msgid nvme0 1").trim());
        gogo.run("storport:sim-remove marker");
    }

    private static Dictionary<String, Object> withName(Dictionary<String, Object> p, String name) {
        Dictionary<String, Object> copy = new Hashtable<>();
        for (String k : java.util.Collections.list(p.keys())) {
            copy.put(k, p.get(k));
        }
        copy.put("name", name);
        return copy;
    }

    private void awaitAnswer(String line, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        String last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                last = gogo.run(line).trim();
                if (last.equals(expected)) {
                    return;
                }
            } catch (Exception e) {
                last = e.getMessage();
            }
            Thread.sleep(20);
        }
        assertEquals(line, expected, last);
    }

    /** What the product answers now: adapters, topology, backends, the simulated host and every adapter's whole map. */
    private String state() throws Exception {
        return gogo.run("storport:adapters --json") + gogo.run("storport:topology --json") + gogo.run("storport:backend")
                + sim.hostSpec() + Sims.maps(gogo);
    }

    private int[] messages(String adapter, int n) throws Exception {
        List<?> processors = (List<?>) Json.object(gogo.run("storport:map --json " + adapter)).get("processors");
        assertEquals(n, processors.size());
        int[] out = new int[n];
        for (int p = 0; p < n; p++) {
            out[p] = ((Long) ((Map<?, ?>) processors.get(p)).get("message")).intValue();
        }
        return out;
    }

    /** The messages' processor lists partition the processors, and agree with each processor's message. */
    static void assertPartition(Map<String, Object> map, int n) {
        List<?> processors = (List<?>) map.get("processors");
        int[] owner = new int[n];
        Arrays.fill(owner, -1);
        for (Object o : (List<?>) map.get("messages")) {
            Map<?, ?> m = (Map<?, ?>) o;
            int id = ((Long) m.get("id")).intValue();
            for (Object p : (List<?>) m.get("processors")) {
                int i = ((Long) p).intValue();
                assertEquals("processor " + i + " in two messages", -1, owner[i]);
                owner[i] = id;
            }
        }
        for (int p = 0; p < n; p++) {
            assertEquals("processor " + p + " owner", ((Map<?, ?>) processors.get(p)).get("message"), (long) owner[p]);
        }
    }
}

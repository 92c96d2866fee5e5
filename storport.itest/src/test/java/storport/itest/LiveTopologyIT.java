package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * storport:topology of this machine, read by the native backend, against the reference tools:
 * util-linux {@code lscpu -p} and hwloc's {@code lstopo-no-graphics}.
 */
public class LiveTopologyIT {

    /** OS CPU number -> [package, core id, node] as storport reports them. */
    private static Map<Integer, List<Long>> storportTopology() throws Exception {
        LauncherIT.freshHome();
        LauncherIT.Run r = LauncherIT.storportWith(Map.of("STORPORT_NATIVE_ROOT", "/"), "",
                "storport:backend native ; storport:topology --json ; storport:backend sim");
        assertEquals(r.err(), 0, r.exit());
        String json = r.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        Map<Integer, List<Long>> out = new TreeMap<>();
        for (Object o : (List<?>) Json.object(json).get("processors")) {
            Map<?, ?> p = (Map<?, ?>) o;
            out.put(((Long) p.get("cpu")).intValue(), List.of((Long) p.get("package"), (Long) p.get("core"), (Long) p.get("node")));
        }
        return out;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(String.join(" ", command), true, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ": " + new String(out, StandardCharsets.UTF_8), 0, p.exitValue());
        return new String(out, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    public void agreesWithLscpu() throws Exception {
        assumeTrue("not Linux: no live sysfs", Files.exists(Path.of("/sys/devices/system/cpu/online")));
        assumeTrue("lscpu (util-linux) is not installed", onPath("lscpu"));
        Map<Integer, List<Long>> ours = storportTopology();
        // lscpu -p: CPU,Core,Socket,Node,... ; Core is lscpu's own core number, so compare which CPUs share a core
        Map<Integer, Long> lscpuCore = new HashMap<>();
        int cpus = 0;
        for (String line : run("lscpu", "-p=CPU,Core,Socket,Node").lines().toList()) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            int cpu = Integer.parseInt(f[0]);
            cpus++;
            List<Long> mine = ours.get(cpu);
            assertEquals("CPU " + cpu + " is online in both", true, mine != null);
            assertEquals("package of CPU " + cpu, Long.parseLong(f[2]), (long) mine.get(0));
            assertEquals("node of CPU " + cpu, f[3].isEmpty() ? 0L : Long.parseLong(f[3]), (long) mine.get(2));
            lscpuCore.put(cpu, Long.parseLong(f[1]));
        }
        assertEquals("online CPUs", cpus, ours.size());
        for (int a : lscpuCore.keySet()) {
            for (int b : lscpuCore.keySet()) {
                boolean sameCore = lscpuCore.get(a).equals(lscpuCore.get(b));
                boolean sameHere = ours.get(a).subList(0, 2).equals(ours.get(b).subList(0, 2));
                assertEquals("CPUs " + a + " and " + b + " share a core", sameCore, sameHere);
            }
        }
        System.out.println("lscpu agrees on " + cpus + " CPUs: " + ours);
    }

    @Test
    public void agreesWithLstopo() throws Exception {
        assumeTrue("not Linux: no live sysfs", Files.exists(Path.of("/sys/devices/system/cpu/online")));
        assumeTrue("lstopo-no-graphics (Debian hwloc) is not installed; .ci/run installs it", onPath("lstopo-no-graphics"));
        Map<Integer, List<Long>> ours = storportTopology();
        String xml = run("lstopo-no-graphics", "--no-io", "--of", "xml");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        NodeList objects = doc.getElementsByTagName("object");
        int pus = 0;
        for (int i = 0; i < objects.getLength(); i++) {
            Element pu = (Element) objects.item(i);
            if (!"PU".equals(pu.getAttribute("type"))) {
                continue;
            }
            pus++;
            int cpu = Integer.parseInt(pu.getAttribute("os_index"));
            List<Long> mine = ours.get(cpu);
            assertEquals("PU " + cpu + " is online in both", true, mine != null);
            Long pkg = null;
            Long core = null;
            Long node = null;
            for (Node n = pu.getParentNode(); n instanceof Element e; n = n.getParentNode()) {
                if (pkg == null && "Package".equals(e.getAttribute("type"))) {
                    pkg = Long.parseLong(e.getAttribute("os_index"));
                }
                if (core == null && "Core".equals(e.getAttribute("type"))) {
                    core = Long.parseLong(e.getAttribute("os_index"));
                }
                if (node == null) {
                    node = numaChild(e);
                }
            }
            assertEquals("package of PU " + cpu, pkg == null ? 0L : pkg, (long) mine.get(0));
            assertEquals("core of PU " + cpu, core == null ? (long) mine.get(1) : core, (long) mine.get(1));
            assertEquals("node of PU " + cpu, node == null ? 0L : node, (long) mine.get(2));
        }
        assertEquals("PUs", ours.size(), pus);
        System.out.println("lstopo agrees on " + pus + " PUs");
    }

    /** hwloc 2 attaches NUMA nodes as memory children of the object whose CPUs they serve. */
    private static Long numaChild(Element e) {
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element child && "object".equals(child.getTagName()) && "NUMANode".equals(child.getAttribute("type"))) {
                return Long.parseLong(child.getAttribute("os_index"));
            }
        }
        return null;
    }
}

package storport.view;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.Strictness;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;

import storport.api.Adapter;
import storport.api.GroupAffinity;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.Topology;
import storport.api.backend.BackendInfo;

/** Each document's JSON read back with Gson (strict) says what its host says; the text forms are the shell's tables. */
public class DocumentsTest {
    private static final Gson GSON = new GsonBuilder().setStrictness(Strictness.STRICT).setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .create();

    /** Two nodes of 4 processors; nvme0 with an admin message and one I/O message per node; "odd\"name" without messages. */
    private static Host host() {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            cpus.add(new LogicalCpu(c, c / 4, c / 4, c));
        }
        Topology t = Topology.of(cpus);
        Adapter nvme = Adapter.builder("nvme0").aliases(List.of("0000:00:02.0")).node(1).policy("numa-spread").driver("nvme")
                .message(message(t, 0, List.of()))
                .message(message(t, 1, List.of(0, 1, 2, 3)))
                .message(message(t, 2, List.of(4, 5, 6, 7)))
                .redirection(1, 2).build(t);
        return new Host("sim", t, List.of(nvme, Adapter.builder("odd\"name").build(t)));
    }

    private static MessageInterrupt message(Topology t, int id, List<Integer> processors) {
        return new MessageInterrupt(id, 0x40 + id, 0xFEE00000L, 0x40 + id, 0x40 + id, InterruptMode.LATCHED, "m" + id, 30 + id,
                t.affinities(processors), processors);
    }

    private static Map<String, Object> read(String json) {
        assertTrue("one document and a line break: " + json, json.endsWith("}\n") && json.indexOf('\n') == json.length() - 1);
        return GSON.fromJson(json, new TypeToken<Map<String, Object>>() { }.getType());
    }

    @Test
    public void adapters() {
        Map<String, Object> doc = read(new Documents.Adapters(host()).json());
        assertEquals("sim", doc.get("backend"));
        List<?> adapters = (List<?>) doc.get("adapters");
        assertEquals(2, adapters.size());
        Map<?, ?> nvme = (Map<?, ?>) adapters.get(0);
        assertEquals("nvme0", nvme.get("id"));
        assertEquals(List.of("0000:00:02.0"), nvme.get("aliases"));
        assertEquals(1L, nvme.get("node"));
        assertEquals(3L, nvme.get("messages"));
        assertEquals(1L, nvme.get("firstRedirection"));
        assertEquals(2L, nvme.get("lastRedirection"));
        assertEquals("odd\"name", ((Map<?, ?>) adapters.get(1)).get("id"));
        assertEquals(null, ((Map<?, ?>) adapters.get(1)).get("node"));
        assertEquals("ID        ALIASES       NODE  MESSAGES  REDIRECTION  POLICY\n"
                + "nvme0     0000:00:02.0  1     3         1-2          numa-spread\n"
                + "odd\"name  -             -     0         -            -\n", new Documents.Adapters(host()).text());
    }

    @Test
    public void mapAndMessages() {
        Host host = host();
        Adapter nvme = host.adapter("nvme0");
        Map<String, Object> map = read(new Documents.AdapterMap(host, nvme).json());
        List<?> processors = (List<?>) map.get("processors");
        for (int p = 0; p < 8; p++) {
            assertEquals("processor " + p, (long) nvme.messageOf(p), ((Map<?, ?>) processors.get(p)).get("message"));
        }
        Map<String, Object> messages = read(new Documents.Messages(host, nvme).json());
        Map<?, ?> second = (Map<?, ?>) ((List<?>) messages.get("messages")).get(2);
        assertEquals(List.of(4L, 5L, 6L, 7L), second.get("processors"));
        assertEquals(List.of(Map.of("group", 0L, "mask", "0xf0")), second.get("targets"));
        assertTrue(new Documents.Messages(host, nvme).text().contains("\n2   0:0xf0   4-7         "));
    }

    @Test
    public void topologyBackendsSeedFailureVersion() {
        Map<String, Object> topology = read(new Documents.TopologyView(host()).json());
        assertEquals(8, ((List<?>) topology.get("processors")).size());
        assertEquals(List.of(Map.of("node", 0L, "processors", 4L, "affinities", List.of(Map.of("group", 0L, "mask", "0xf"))),
                Map.of("node", 1L, "processors", 4L, "affinities", List.of(Map.of("group", 0L, "mask", "0xf0")))), topology.get("nodes"));
        assertTrue(new Documents.TopologyView(host()).text().startsWith("8 processors, 1 group, 2 nodes\n\n"));

        Documents.Backends backends = new Documents.Backends("sim", "native", List.of(new BackendInfo("native", false, "no /sys", false, true),
                new BackendInfo("sim", true, "", true, false)));
        Map<String, Object> b = read(backends.json());
        assertEquals("sim", b.get("active"));
        assertEquals("native", b.get("preferred"));
        assertEquals("no /sys", ((Map<?, ?>) ((List<?>) b.get("backends")).get(0)).get("reason"));
        assertEquals("  native  unavailable, preferred: no /sys\n* sim     active\n", backends.text());

        Host host = host();
        Map<String, Object> seed = read(new Documents.Seed(host, host.adapter("nvme0"), 5, 2).json());
        assertEquals(Map.of("backend", "sim", "adapter", "nvme0", "index", 5L, "status", "STOR_STATUS_SUCCESS", "code", "0x00000000",
                "message", 2L), seed);
        assertEquals("2\n", new Documents.Seed(host, host.adapter("nvme0"), 5, 2).text());

        StorPortException e = StorPortException.invalidParameter("processor index 9 is outside 0..7");
        Map<String, Object> failure = read(Documents.failureJson(e));
        assertEquals("STOR_STATUS_INVALID_PARAMETER", failure.get("status"));
        assertEquals("0xC1000006", failure.get("code"));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: processor index 9 is outside 0..7", failure.get("error"));
        assertEquals(e.getMessage() + "\n", new Documents.Failure(e).text());
        assertEquals(Map.of("version", 7L), read(new Documents.Version(7).json()));
        assertEquals("0xC100000C", Documents.code(StorStatus.BUSY));
        assertEquals(new GroupAffinity(0, 0xf0), host.adapter("nvme0").message(2).targets().get(0));
    }
}

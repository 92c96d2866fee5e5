package storport.view;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

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
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.Topology;
import storport.view.Drift.AdapterDrift;
import storport.view.Drift.Change;
import storport.view.Drift.MessageChange;
import storport.view.Drift.Move;
import storport.view.Drift.Status;

/** A baseline and a host built for each kind of drift; the document as the shell contract shapes it. */
public class DriftTest {
    private static final Gson GSON = new GsonBuilder().setStrictness(Strictness.STRICT).setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .create();
    private static final String NVME = "0000:01:00.0";
    private static final String SAS = "0000:81:00.0";

    /** {@code n} processors, the first half on node 0, the rest on node 1. */
    private static Topology topology(int n) {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            cpus.add(new LogicalCpu(c, c < n / 2 ? 0 : 1, c < n / 2 ? 0 : 1, c));
        }
        return Topology.of(cpus);
    }

    private static MessageInterrupt message(Topology t, int id, List<Integer> targets, List<Integer> effective) {
        return new MessageInterrupt(id, 0x40 + id, 0xFEE00000L, 0x40 + id, 0x40 + id, InterruptMode.LATCHED, "q" + id, 30 + id,
                t.affinities(targets), targets, effective);
    }

    /** nvme0: admin message 0, message 1 targets 0-3, message 2 targets 4-7, each delivered to its first target; the map as given. */
    private static Adapter nvme(Topology t, int[] map) {
        return nvme(t, map, message(t, 1, List.of(0, 1, 2, 3), List.of(0)), message(t, 2, List.of(4, 5, 6, 7), List.of(4)));
    }

    private static Adapter nvme(Topology t, int[] map, MessageInterrupt... io) {
        Adapter.Builder b = Adapter.builder(NVME).aliases(List.of("nvme0")).message(message(t, 0, List.of(), List.of()));
        for (MessageInterrupt m : io) {
            b.message(m);
        }
        return b.redirection(1, io.length).primary(map).build(t);
    }

    private static Adapter sas(Topology t) {
        return Adapter.builder(SAS).aliases(List.of("sda")).message(message(t, 0, List.of(0, 1, 2, 3, 4, 5, 6, 7), List.of(1))).build(t);
    }

    private static final int[] BY_NODE = { 1, 1, 1, 1, 2, 2, 2, 2 };

    private static Host host(Adapter... adapters) {
        return new Host("native", topology(8), List.of(adapters));
    }

    private static Host baseline() {
        Topology t = topology(8);
        return host(nvme(t, BY_NODE), sas(t));
    }

    private static AdapterDrift nvmeDrift(Host now) {
        return Drift.of(baseline(), now, NVME);
    }

    @Test
    public void theSameHostIsTheSameEverywhere() {
        List<AdapterDrift> drift = Drift.of(baseline(), baseline());
        assertEquals(List.of(new AdapterDrift(NVME, Status.SAME, List.of(), List.of()), new AdapterDrift(SAS, Status.SAME, List.of(), List.of())),
                drift);
        assertNull(Drift.topology(baseline().topology(), baseline().topology()));
    }

    @Test
    public void aChangedQueueMapMovesExactlyTheProcessorsWhoseMessageChanged() {
        Topology t = topology(8);
        AdapterDrift d = nvmeDrift(host(nvme(t, new int[] { 1, 1, 2, 2, 2, 2, 1, 1 }), sas(t)));
        assertEquals(Status.CHANGED, d.status());
        assertEquals(List.of(new Move(2, 1, 2), new Move(3, 1, 2), new Move(6, 2, 1), new Move(7, 2, 1)), d.moved());
        assertEquals("the messages' targets did not change", List.of(), d.messages());
    }

    @Test
    public void aProcessorLeftWithoutMessageMovesToNoneNullInJson() {
        Topology t = topology(8);
        Host now = host(nvme(t, new int[] { 1, 1, 1, 1, 2, 2, 2, -1 }, message(t, 1, List.of(0, 1, 2, 3), List.of(0)),
                message(t, 2, List.of(4, 5, 6), List.of(4))), sas(t));
        Documents.DriftView view = Documents.DriftView.of("b.tar.gz", now, baseline(), NVME);
        AdapterDrift d = view.adapters().get(0);
        assertEquals(List.of(new Move(7, 2, null)), d.moved());
        assertEquals(List.of(new MessageChange(2, Change.TARGETS, List.of(4, 5, 6, 7), List.of(4, 5, 6))), d.messages());
        Map<?, ?> moved = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) read(view.json()).get("adapters")).get(0)).get("moved")).get(0);
        assertEquals(2L, moved.get("from"));
        assertEquals(true, moved.containsKey("to"));
        assertNull(moved.get("to"));
        assertEquals(true, view.text().contains("\n  processor 7: message 2 -> none\n"));
    }

    @Test
    public void changedTargetsAreReportedOnceEvenWhenTheEffectiveCpusChangedToo() {
        Topology t = topology(8);
        AdapterDrift d = nvmeDrift(host(nvme(t, BY_NODE, message(t, 1, List.of(0, 1, 2, 3), List.of(0)),
                message(t, 2, List.of(3, 4, 5, 6, 7), List.of(3))), sas(t)));
        assertEquals("the queue map kept processor 3 on message 1", List.of(), d.moved());
        assertEquals(List.of(new MessageChange(2, Change.TARGETS, List.of(4, 5, 6, 7), List.of(3, 4, 5, 6, 7))), d.messages());
    }

    @Test
    public void changedEffectiveCpusAlone() {
        Topology t = topology(8);
        AdapterDrift d = nvmeDrift(host(nvme(t, BY_NODE, message(t, 1, List.of(0, 1, 2, 3), List.of(2)),
                message(t, 2, List.of(4, 5, 6, 7), List.of(4))), sas(t)));
        assertEquals(Status.CHANGED, d.status());
        assertEquals(List.of(new MessageChange(1, Change.EFFECTIVE, List.of(0), List.of(2))), d.messages());
    }

    @Test
    public void messagesOnOneSideOnlyAreGoneOrNew() {
        Topology t = topology(8);
        Adapter fewer = Adapter.builder(NVME).message(message(t, 0, List.of(), List.of())).message(message(t, 1, List.of(0, 1, 2, 3), List.of(0)))
                .primary(new int[] { 1, 1, 1, 1, -1, -1, -1, -1 }).redirection(1, 1).build(t);
        assertEquals(List.of(new MessageChange(2, Change.GONE, List.of(4, 5, 6, 7), List.of())), nvmeDrift(host(fewer, sas(t))).messages());
        assertEquals(List.of(new MessageChange(2, Change.NEW, List.of(), List.of(4, 5, 6, 7))),
                Drift.of(host(fewer, sas(t)), baseline(), NVME).messages());
    }

    @Test
    public void adaptersOnOneSideOnlyAreGoneOrNewAndMatchedById() {
        Topology t = topology(8);
        Adapter renamed = Adapter.builder("0000:82:00.0").aliases(List.of("sda")).message(message(t, 0, List.of(0), List.of(0))).build(t);
        Host now = host(nvme(t, BY_NODE), renamed);
        assertEquals(List.of(new AdapterDrift(NVME, Status.SAME, List.of(), List.of()), new AdapterDrift(SAS, Status.GONE, List.of(), List.of()),
                new AdapterDrift("0000:82:00.0", Status.NEW, List.of(), List.of())), Drift.of(baseline(), now));
        assertEquals("an alias is resolved on the host now first", "0000:82:00.0", Drift.of(baseline(), now, "sda").adapter());
        assertEquals("a gone adapter by its id, from the baseline", Status.GONE, Drift.of(baseline(), now, SAS).status());
        assertEquals("by alias on the host now", Status.SAME, Drift.of(baseline(), now, "nvme0").status());
        try {
            Drift.of(baseline(), now, "nope");
            fail("an adapter neither host has");
        } catch (StorPortException e) {
            assertEquals(StorStatus.INVALID_PARAMETER, e.status());
            assertEquals("unknown adapter 'nope' on backend native and in the baseline (adapters: 0000:01:00.0, 0000:81:00.0, 0000:82:00.0)",
                    e.reason());
        }
    }

    @Test
    public void onlyTheProcessorsBothHostsHaveAreComparedAndTheTopologyChangeIsSaid() {
        Topology four = topology(4);
        Host now = new Host("native", four, List.of(nvme(four, new int[] { 1, 1, 2, 2 }, message(four, 1, List.of(0, 1), List.of(0)),
                message(four, 2, List.of(2, 3), List.of(2)))));
        Documents.DriftView view = Documents.DriftView.of("host-a.tar.gz", now, baseline(), NVME);
        assertEquals(new Drift.TopologyChange(8, List.of(0, 1), 4, List.of(0, 1)), view.topology());
        AdapterDrift d = view.adapters().get(0);
        assertEquals("processors 4-7 are not compared", List.of(new Move(2, 1, 2), new Move(3, 1, 2)), d.moved());
        assertEquals(List.of(new MessageChange(1, Change.TARGETS, List.of(0, 1, 2, 3), List.of(0, 1)),
                new MessageChange(2, Change.TARGETS, List.of(4, 5, 6, 7), List.of(2, 3))), d.messages());
        Map<String, Object> json = read(view.json());
        assertEquals(Map.of("baseline", Map.of("processors", 8L, "nodes", List.of(0L, 1L)), "active",
                Map.of("processors", 4L, "nodes", List.of(0L, 1L)), "compared", 4L), json.get("topology"));
        assertEquals("""
                backend native against baseline host-a.tar.gz
                topology changed: the baseline has 8 processors (nodes 0-1), this host 4 (nodes 0-1); processors 0-3 compared
                ADAPTER       STATUS   MOVED  MESSAGES
                0000:01:00.0  changed  2      2

                0000:01:00.0
                  processors 2-3: message 1 -> 2
                  message 1: targets 0-3 -> 0-1
                  message 2: targets 4-7 -> 2-3
                """, view.text());
    }

    @Test
    public void theDocumentAsTheShellContractShapesIt() {
        Topology t = topology(8);
        Host now = host(nvme(t, new int[] { 2, 1, 1, 1, 2, 2, 2, 2 }, message(t, 1, List.of(1, 2, 3), List.of(1)),
                message(t, 2, List.of(0, 4, 5, 6, 7), List.of(4))), sas(t));
        Documents.DriftView view = Documents.DriftView.of("host-a.tar.gz", now, baseline(), null);
        Map<String, Object> json = read(view.json());
        assertEquals("host-a.tar.gz", json.get("baseline"));
        assertEquals("native", json.get("backend"));
        assertNull(json.get("topology"));
        assertEquals(List.of(
                Map.of("adapter", NVME, "status", "changed", "moved", List.of(Map.of("index", 0L, "from", 1L, "to", 2L)),
                        "messages", List.of(Map.of("id", 1L, "change", "targets", "from", List.of(0L, 1L, 2L, 3L), "to", List.of(1L, 2L, 3L)),
                                Map.of("id", 2L, "change", "targets", "from", List.of(4L, 5L, 6L, 7L), "to", List.of(0L, 4L, 5L, 6L, 7L)))),
                Map.of("adapter", SAS, "status", "same", "moved", List.of(), "messages", List.of())), json.get("adapters"));
        assertEquals("""
                backend native against baseline host-a.tar.gz
                ADAPTER       STATUS   MOVED  MESSAGES
                0000:01:00.0  changed  1      2
                0000:81:00.0  same     0      0

                0000:01:00.0
                  processor 0: message 1 -> 2
                  message 1: targets 0-3 -> 1-3
                  message 2: targets 4-7 -> 0,4-7
                """, view.text());
        assertEquals("one adapter", List.of(SAS), Documents.DriftView.of("host-a.tar.gz", now, baseline(), "sda").adapters().stream()
                .map(AdapterDrift::adapter).toList());
    }

    private static Map<String, Object> read(String json) {
        assertEquals("one document and a line break", json.length() - 1, json.indexOf('\n'));
        return GSON.fromJson(json, new TypeToken<Map<String, Object>>() { }.getType());
    }
}

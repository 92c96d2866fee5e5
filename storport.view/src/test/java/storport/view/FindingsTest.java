package storport.view;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.LogicalCpu;
import storport.api.MessageInterrupt;
import storport.api.Topology;
import storport.view.Findings.Finding;
import storport.view.Findings.Severity;

/** Each finding code on a host built for it, and none on a clean host of the same shape (DESIGN section 8). */
public class FindingsTest {
    /** 8 processors; {@code nodes} 2: 0-3 on node 0, 4-7 on node 1; 1: all on node 0. */
    private static Topology topology(int nodes) {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            cpus.add(new LogicalCpu(c, nodes == 2 ? c / 4 : 0, nodes == 2 ? c / 4 : 0, c));
        }
        return Topology.of(cpus);
    }

    private static MessageInterrupt message(Topology t, int id, List<Integer> targets, List<Integer> effective) {
        return new MessageInterrupt(id, 0x40 + id, 0xFEE00000L, 0x40 + id, 0x40 + id, InterruptMode.LATCHED, "q" + id, 30 + id,
                t.affinities(targets), targets, effective);
    }

    private static MessageInterrupt message(Topology t, int id, List<Integer> targets) {
        return message(t, id, targets, targets);
    }

    private static List<String> codes(Host host) {
        return Findings.of(host).stream().map(f -> f.code() + " " + f.messages() + " " + f.processors()).toList();
    }

    @Test
    public void aCleanHostHasNoFinding() {
        Topology t = topology(2);
        Adapter a = Adapter.builder("nvme0").message(message(t, 0, List.of())).message(message(t, 1, List.of(0, 1, 2, 3)))
                .message(message(t, 2, List.of(4, 5, 6, 7))).redirection(1, 2).build(t);
        assertEquals(List.of(), Findings.of(new Host("sim", t, List.of(a))));
    }

    @Test
    public void aProcessorWithoutMessageIsAnError() {
        Topology t = topology(2);
        Adapter a = Adapter.builder("nvme0").message(message(t, 0, List.of())).message(message(t, 1, List.of(0, 1, 2, 3)))
                .message(message(t, 2, List.of(4, 5, 6))).redirection(1, 2).build(t);
        List<Finding> f = Findings.of(new Host("sim", t, List.of(a)));
        assertEquals(List.of("no-message [] [7]"), codes(new Host("sim", t, List.of(a))));
        assertEquals(Severity.ERROR, f.get(0).severity());
        assertEquals("nvme0", f.get(0).adapter());
    }

    @Test
    public void oneMessageForEveryProcessorIsASingleVectorFallback() {
        Topology t = topology(1);
        Adapter a = Adapter.builder("sda").message(message(t, 0, List.of(0, 1, 2, 3, 4, 5, 6, 7), List.of(0))).build(t);
        assertEquals(List.of("single-vector [0] [0, 1, 2, 3, 4, 5, 6, 7]"), codes(new Host("sim", t, List.of(a))));
    }

    @Test
    public void aMessageHandledOnAnotherNodeIsCrossNode() {
        Topology t = topology(2);
        // processors 0-3 (node 0) complete on message 1, whose targets include CPU 4 (node 1)
        Adapter a = Adapter.builder("nvme0").message(message(t, 0, List.of())).message(message(t, 1, List.of(0, 1, 2, 4)))
                .message(message(t, 2, List.of(4, 5, 6, 7))).redirection(1, 2).primary(new int[] { 1, 1, 1, 1, 2, 2, 2, 2 }).build(t);
        assertEquals(List.of("cross-node [1] [0, 1, 2, 3]"), codes(new Host("sim", t, List.of(a))));
    }

    @Test
    public void anEffectiveCpuOutsideTheTargetsIsReportedAndJudgedByWhereItIsHandled() {
        Topology t = topology(2);
        // irqbalance moved message 2 (targets 4-7) to CPU 3: outside its targets, and on node 0 for node 1's processors
        Adapter a = Adapter.builder("nvme0").message(message(t, 0, List.of())).message(message(t, 1, List.of(0, 1, 2, 3)))
                .message(message(t, 2, List.of(4, 5, 6, 7), List.of(3))).redirection(1, 2).build(t);
        assertEquals(List.of("cross-node [2] [4, 5, 6, 7]", "effective-outside [2] [3]"), codes(new Host("sim", t, List.of(a))));
    }

    @Test
    public void unevenQueuesAndAnIdleMessage() {
        Topology t = topology(1);
        Adapter a = Adapter.builder("nvme0").message(message(t, 0, List.of())).message(message(t, 1, List.of(0, 1, 2, 3, 4)))
                .message(message(t, 2, List.of(5, 6))).message(message(t, 3, List.of(7))).message(message(t, 4, List.of()))
                .redirection(1, 4).build(t);
        List<Finding> f = Findings.of(new Host("sim", t, List.of(a)));
        assertEquals(List.of("uneven [1, 3] []", "idle-message [4] []"), codes(new Host("sim", t, List.of(a))));
        assertEquals(Severity.INFO, f.get(0).severity());
        assertEquals("message 1 serves 5 processors and message 3 1: the queues are uneven, usual when processors do not divide evenly"
                + " among fewer vectors; more vectors or a processor count that divides evenly balances them", f.get(0).text());
    }

    @Test
    public void twiceAsManyButOnlyOneMoreIsNotUneven() {
        Topology t = topology(1);
        Adapter a = Adapter.builder("nvme0").message(message(t, 0, List.of(0, 1, 2, 3, 4, 5))).message(message(t, 1, List.of(6, 7)))
                .message(message(t, 2, List.of())).redirection(0, 1).build(t);
        assertEquals("6 vs 2 is uneven", List.of("uneven [0, 1] []"), codes(new Host("sim", t, List.of(a))));
        Adapter b = Adapter.builder("nvme1").message(message(t, 0, List.of(0, 1, 2, 3, 4))).message(message(t, 1, List.of(5, 6, 7)))
                .build(t);
        assertEquals("5 vs 3 is not", List.of(), codes(new Host("sim", t, List.of(b))));
    }

    @Test
    public void anUnavailableAdapterIsNotJudged() {
        Topology t = topology(2);
        Adapter a = Adapter.builder("gone").message(message(t, 0, List.of(0))).unavailable("the device went away").build(t);
        assertEquals(List.of(), Findings.of(new Host("native", t, List.of(a))));
    }

    @Test
    public void theDocumentAsTheShellContractShapesIt() {
        Topology t = topology(2);
        Adapter a = Adapter.builder("nvme0").message(message(t, 0, List.of())).message(message(t, 1, List.of(0, 1, 2, 3)))
                .message(message(t, 2, List.of(4, 5, 6))).redirection(1, 2).build(t);
        Documents.FindingsView doc = Documents.FindingsView.of(new Host("native", t, List.of(a)), "nvme0");
        java.util.Map<?, ?> json = new com.google.gson.Gson().fromJson(doc.json(), java.util.Map.class);
        assertEquals("native", json.get("backend"));
        java.util.Map<?, ?> f = (java.util.Map<?, ?>) ((List<?>) json.get("findings")).get(0);
        assertEquals("no-message", f.get("code"));
        assertEquals("error", f.get("severity"));
        assertEquals("nvme0", f.get("adapter"));
        assertEquals(List.of(), f.get("messages"));
        assertEquals(List.of(7.0), f.get("processors"));
        assertEquals(doc.findings().get(0).text(), f.get("text"));
        assertEquals(true, doc.reaches(Severity.ERROR));
        assertEquals("error  no-message  nvme0  messages -  processors 7\n  " + doc.findings().get(0).text() + "\n", doc.text());
        assertEquals("no findings\n", Documents.FindingsView.of(new Host("native", t, List.of()), null).text());
    }
}

package storport.view;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.InterruptMode;
import storport.api.Isolation;
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
    public void anIoMessageHandledOnAnIsolatedCpuSaysWhetherManagedIrqWouldMoveIt() {
        // CPU 2 isolated (isolcpus=2), CPU 5 nohz_full; message 1 targets 0-3 and is delivered to 2: managed_irq would move it
        Topology t = topology(2).withIsolation(new Isolation(List.of(2), List.of(5), List.of()));
        Adapter a = Adapter.builder("nvme0").message(message(t, 0, List.of(2))).message(message(t, 1, List.of(0, 1, 2, 3), List.of(2)))
                .message(message(t, 2, List.of(4, 5, 6, 7), List.of(4))).redirection(1, 2).build(t);
        Host host = new Host("sim", t, List.of(a));
        // the admin message (0) on an isolated CPU is no I/O message: not reported
        assertEquals(List.of("isolated [1] [2]"), codes(host));
        Finding f = Findings.of(host).get(0);
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.text(), f.text().contains("(isolated)") && f.text().contains("isolcpus=managed_irq,2 would move it to its housekeeping targets 0-1,3"));

        // every target isolated: managed_irq cannot help
        Adapter pinned = Adapter.builder("nvme1").message(message(t, 0, List.of())).message(message(t, 1, List.of(0, 1, 2, 3), List.of(0)))
                .message(message(t, 2, List.of(5), List.of(5))).redirection(1, 2).primary(new int[] { 1, 1, 1, 1, 2, 2, 2, 2 }).build(t);
        List<Finding> onPinned = Findings.of(new Host("sim", t, List.of(pinned))).stream().filter(x -> x.code().equals("isolated")).toList();
        assertEquals(1, onPinned.size());
        assertEquals(List.of(5), onPinned.get(0).processors());
        assertTrue(onPinned.get(0).text(), onPinned.get(0).text().contains("(nohz_full)") && onPinned.get(0).text().contains("cannot move it"));

        // under managed_irq isolation a vector still on the isolated CPU was moved there by hand
        Topology managed = topology(2).withIsolation(new Isolation(List.of(), List.of(), List.of(2)));
        Adapter moved = Adapter.builder("nvme0").message(message(managed, 0, List.of())).message(message(managed, 1, List.of(0, 1, 2, 3), List.of(2)))
                .message(message(managed, 2, List.of(4, 5, 6, 7), List.of(4))).redirection(1, 2).build(managed);
        Finding byHand = Findings.of(new Host("sim", managed, List.of(moved))).get(0);
        assertEquals("isolated", byHand.code());
        assertTrue(byHand.text(), byHand.text().contains("set by hand or by irqbalance"));

        // the same map without isolation: nothing
        Topology plain = topology(2);
        Adapter same = Adapter.builder("nvme0").message(message(plain, 0, List.of(2))).message(message(plain, 1, List.of(0, 1, 2, 3), List.of(2)))
                .message(message(plain, 2, List.of(4, 5, 6, 7), List.of(4))).redirection(1, 2).build(plain);
        assertEquals(List.of(), codes(new Host("sim", plain, List.of(same))));
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

package storport.insight;

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

/** Which adapters a new snapshot changed: new, gone, or answering differently; equal rebuilt ones are not. */
public class ChangeEventsTest {
    private static Topology topology(int n) {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            cpus.add(new LogicalCpu(c, 0, 0, c));
        }
        return Topology.of(cpus);
    }

    private static Adapter adapter(Topology t, String id, int... firstHalfSecondHalf) {
        int n = t.processorCount();
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            (p < firstHalfSecondHalf[0] ? a : b).add(p);
        }
        return Adapter.builder(id).message(message(t, 0, a)).message(message(t, 1, b)).redirection(0, 1).build(t);
    }

    private static MessageInterrupt message(Topology t, int id, List<Integer> targets) {
        return new MessageInterrupt(id, 0, 0xFEE00000L, 0x40 + id, 0x40 + id, InterruptMode.LATCHED, "q" + id, -1, t.affinities(targets), targets);
    }

    @Test
    public void aRebuiltButEqualAdapterIsUnchangedAndTheRestAreNamed() {
        Topology t = topology(4);
        Host before = new Host("sim", t, List.of(adapter(t, "a", 2), adapter(t, "b", 2), adapter(t, "gone", 2)));
        Host after = new Host("sim", t, List.of(adapter(t, "a", 2), adapter(t, "b", 3), adapter(t, "new", 2)));
        assertEquals(List.of("b", "gone", "new"), ChangeEvents.changedAdapters(before, after));
        assertEquals(List.of(), ChangeEvents.changedAdapters(before, before));
    }

    @Test
    public void anotherTopologyChangesEveryAdapter() {
        Topology four = topology(4);
        Topology six = topology(6);
        Host before = new Host("sim", four, List.of(adapter(four, "a", 2)));
        Host after = new Host("sim", six, List.of(adapter(six, "a", 2)));
        assertEquals(List.of("a"), ChangeEvents.changedAdapters(before, after));
    }
}

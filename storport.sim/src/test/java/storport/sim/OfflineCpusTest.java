package storport.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static storport.sim.Expect.invalid;

import java.util.Arrays;
import java.util.List;

import org.junit.Test;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.sim.SimulatedAdapter;

/**
 * CPUs taken offline after the device was probed (sim-host ... offline:LIST), by Linux's rule:
 * the vectors were spread over every CPU; a managed vector keeps its mask, is delivered to its online
 * targets, and is shut down when none is left; offline CPUs are no processors of the host.
 */
public class OfflineCpusTest {
    /** 8 CPUs on 2 nodes, 4 I/O messages, numa-spread: node 1 first (equal nodes): 1 = 4-5, 2 = 6-7, 3 = 0-1, 4 = 2-3. */
    private static Host host(String offline) {
        return SimHostFactory.build("node:2 core:4" + offline, List.of(new SimulatedAdapter("nvme0", 5, 1, "numa-spread", 0, List.of())));
    }

    private static int[] map(Host h) {
        Adapter a = h.adapter("nvme0");
        int[] out = new int[h.topology().processorCount()];
        for (int p = 0; p < out.length; p++) {
            out[p] = a.messageOf(p);
        }
        return out;
    }

    @Test
    public void withEveryCpuOfAQueueOfflineItsMessageIsShutDownAndTheOthersKeepTheirs() {
        assertEquals(List.of(3, 3, 4, 4, 1, 1, 2, 2), List.of(Arrays.stream(map(host(""))).boxed().toArray()));
        Host h = host(" offline:6-7");
        assertEquals("6 processors: offline CPUs are not processors", 6, h.topology().processorCount());
        assertEquals(List.of(3, 3, 4, 4, 1, 1), List.of(Arrays.stream(map(h)).boxed().toArray()));
        Adapter a = h.adapter("nvme0");
        assertEquals("message 2's targets are all offline: shut down", List.of(), a.message(2).processors());
        assertEquals(List.of(4, 5), a.message(1).processors());
        // the seed call has no index for an offline CPU: Storport numbers active processors only
        StorPortException e = assertThrows(StorPortException.class, () -> h.messageInterruptId("nvme0", 6));
        assertEquals(StorStatus.INVALID_PARAMETER, e.status());
        assertEquals("processor index 6 is outside 0..5", e.reason());
    }

    @Test
    public void aManagedVectorWithATargetLeftIsDeliveredThere() {
        Host h = host(" offline:5,7");
        // CPUs 0-4, 6 online: indexes 0-5; CPU 6 is index 5
        assertEquals(List.of(3, 3, 4, 4, 1, 2), List.of(Arrays.stream(map(h)).boxed().toArray()));
        assertEquals(List.of(4), h.adapter("nvme0").message(1).processors());
        assertEquals(List.of(5), h.adapter("nvme0").message(2).effective());
        assertEquals("package:1 node:2 core:4 pu:1 offline:5,7", TopologySpec.parse("node:2 core:4 offline:5,7").toString());
    }

    @Test
    public void everyCpuOfflineOrOneNotOnTheHostIsRefused() {
        invalid(() -> TopologySpec.parse("core:4 offline:0-3"), "every CPU is offline; at least one stays online");
        invalid(() -> TopologySpec.parse("core:4 offline:9"), "offline CPU 9 is not on this host (CPUs 0-3)");
    }
}

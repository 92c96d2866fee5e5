package storport.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;

/** Test helpers: hosts built from node sizes, messages, and exception checks. */
final class Fixtures {
    private Fixtures() {
    }

    /** Consecutive OS CPU numbers node by node: node i gets sizes[i] CPUs, one core per CPU. */
    static List<LogicalCpu> nodes(int... sizes) {
        List<LogicalCpu> cpus = new ArrayList<>();
        int cpu = 0;
        for (int node = 0; node < sizes.length; node++) {
            for (int i = 0; i < sizes[node]; i++) {
                cpus.add(new LogicalCpu(cpu, node, 0, cpu));
                cpu++;
            }
        }
        return cpus;
    }

    static List<Integer> range(int fromInclusive, int toExclusive) {
        List<Integer> out = new ArrayList<>();
        for (int i = fromInclusive; i < toExclusive; i++) {
            out.add(i);
        }
        return out;
    }

    /** A message targeting {@code processors}, with consistent group affinities. */
    static MessageInterrupt message(Topology t, int id, List<Integer> processors) {
        return new MessageInterrupt(id, 0x40 + id, 0xFEE00000L, 0x40 + id, 0x40 + id, InterruptMode.LATCHED, "m" + id, -1,
                t.affinities(processors), processors);
    }

    static MessageInterrupt message(Topology t, int id, Integer... processors) {
        return message(t, id, List.of(processors));
    }

    /** Runs {@code r}, expects a StorPortException of {@code status} whose reason contains every fragment. */
    static StorPortException expect(StorStatus status, Runnable r, String... fragments) {
        try {
            r.run();
        } catch (StorPortException e) {
            assertEquals("status of: " + e.getMessage(), status, e.status());
            assertTrue("message must start with the symbol: " + e.getMessage(), e.getMessage().startsWith(status.symbol() + ": "));
            for (String f : fragments) {
                assertTrue("'" + e.reason() + "' should mention '" + f + "'", e.reason().contains(f));
            }
            return e;
        }
        fail("expected " + status.symbol());
        return null;
    }

    static StorPortException expectInvalid(Runnable r, String... fragments) {
        return expect(StorStatus.INVALID_PARAMETER, r, fragments);
    }
}

package storport.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static storport.api.Fixtures.expectInvalid;
import static storport.api.Fixtures.message;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.Test;

/** The adapter handle answers exactly as the by-name seed call, on whatever snapshot is current. */
public class AdapterHandleTest {
    private static final int SUCCESS = 0;
    private static final int UNSUCCESSFUL = 0xC1000001;
    private static final int INVALID_PARAMETER = 0xC1000006;
    private static final int SENTINEL = 0x5EED;

    /** A backend whose snapshot the test swaps, as a real one does on a change. */
    private static final class Swapping implements StorPort {
        volatile Host host;

        Swapping(Host host) {
            this.host = host;
        }

        @Override
        public String backend() {
            return "swapping";
        }

        @Override
        public Host host() {
            return host;
        }
    }

    private final Topology topology = Topology.of(Fixtures.nodes(4, 4));

    /** nvme0 (alias disk0): message 1 serves 0..3, message 2 serves 4..5; 6 and 7 are unserved. */
    private Host first() {
        Adapter.Builder b = Adapter.builder("nvme0").aliases(List.of("disk0")).redirection(1, 2);
        b.message(message(topology, 0)).message(message(topology, 1, 0, 1, 2, 3)).message(message(topology, 2, 4, 5));
        Adapter.Builder lost = Adapter.builder("lost0").unavailable("device removed");
        lost.message(message(topology, 0, 0, 1, 2, 3, 4, 5, 6, 7));
        return new Host("one", topology, List.of(b.build(topology), lost.build(topology)));
    }

    /** nvme0 now round-robin over 1..3, on a second snapshot. */
    private Host second() {
        int[] map = new int[8];
        for (int p = 0; p < 8; p++) {
            map[p] = 1 + p % 3;
        }
        Adapter.Builder b = Adapter.builder("nvme0").aliases(List.of("disk0")).primary(map).redirection(1, 3);
        for (int m = 0; m < 4; m++) {
            b.message(message(topology, m));
        }
        return new Host("two", topology, List.of(b.build(topology)));
    }

    private static Host without(Topology t) {
        Adapter.Builder b = Adapter.builder("sas0");
        b.message(message(t, 0, 0, 1, 2, 3, 4, 5, 6, 7));
        return new Host("three", t, List.of(b.build(t)));
    }

    /** Every index a caller might pass, with and without a holder: status, value written, idiomatic outcome. */
    private static void assertSameAnswers(StorPort storport, String name, AdapterHandle handle) {
        for (int i = -2; i < 11; i++) {
            int p = i;
            ULongHolder byName = new ULongHolder();
            ULongHolder byHandle = new ULongHolder();
            byName.value = SENTINEL;
            byHandle.value = SENTINEL;
            int expected = storport.getMessageInterruptIdFromProcessorIndex(name, p, byName);
            assertEquals("status for processor " + p, expected, handle.getMessageInterruptIdFromProcessorIndex(p, byHandle));
            assertEquals("value for processor " + p, byName.value, byHandle.value);
            assertEquals(storport.getMessageInterruptIdFromProcessorIndex(name, p, null),
                    handle.getMessageInterruptIdFromProcessorIndex(p, null));
            assertEquals(idiomatic(() -> storport.messageInterruptId(name, p)), idiomatic(() -> handle.messageInterruptId(p)));
        }
        assertEquals(idiomatic(() -> storport.messageInterruptId(name, 1L << 40)), idiomatic(() -> handle.messageInterruptId(1L << 40)));
    }

    /** The answer, or the exception's status and reason. */
    private static String idiomatic(java.util.function.IntSupplier call) {
        try {
            return Integer.toString(call.getAsInt());
        } catch (StorPortException e) {
            return e.getMessage();
        }
    }

    @Test
    public void answersAsTheByNameCallForEveryIndexAndStatus() {
        Swapping storport = new Swapping(first());
        AdapterHandle handle = storport.adapter("nvme0");
        ULongHolder h = new ULongHolder();
        assertEquals(SUCCESS, handle.getMessageInterruptIdFromProcessorIndex(5, h));
        assertEquals(2, h.value);
        h.value = SENTINEL;
        assertEquals(UNSUCCESSFUL, handle.getMessageInterruptIdFromProcessorIndex(6, h));
        assertEquals("written only on success", SENTINEL, h.value);
        assertEquals(INVALID_PARAMETER, handle.getMessageInterruptIdFromProcessorIndex(8, h));
        assertSameAnswers(storport, "nvme0", handle);
        assertSameAnswers(storport, "disk0", storport.adapter("disk0"));
        assertEquals("nvme0", storport.adapter("disk0").adapter().id());
    }

    @Test
    public void anUnavailableAdapterIsUnsuccessfulWithItsReason() {
        Swapping storport = new Swapping(first());
        AdapterHandle lost = storport.adapter("lost0");
        assertEquals(UNSUCCESSFUL, lost.getMessageInterruptIdFromProcessorIndex(0, new ULongHolder()));
        Fixtures.expect(StorStatus.UNSUCCESSFUL, () -> lost.messageInterruptId(0), "lost0 is unavailable: device removed");
        assertSameAnswers(storport, "lost0", lost);
    }

    @Test
    public void followsSnapshotSwapsIncludingAnAdapterThatGoesAndComesBack() {
        Swapping storport = new Swapping(first());
        AdapterHandle handle = storport.adapter("disk0");
        ULongHolder h = new ULongHolder();
        assertEquals(SUCCESS, handle.getMessageInterruptIdFromProcessorIndex(4, h));
        assertEquals(2, h.value);

        storport.host = second();
        assertEquals(SUCCESS, handle.getMessageInterruptIdFromProcessorIndex(4, h));
        assertEquals("the new snapshot's answer", 2, h.value);
        assertEquals(SUCCESS, handle.getMessageInterruptIdFromProcessorIndex(6, h));
        assertEquals("served now, unserved before", 1, h.value);
        assertSame(storport.host.adapter("nvme0"), handle.adapter());
        assertSameAnswers(storport, "disk0", handle);

        storport.host = without(topology);
        assertEquals(INVALID_PARAMETER, handle.getMessageInterruptIdFromProcessorIndex(4, h));
        expectInvalid(() -> handle.messageInterruptId(4), "unknown adapter 'disk0' on backend three", "sas0");
        expectInvalid(handle::adapter, "unknown adapter 'disk0'");
        assertSameAnswers(storport, "disk0", handle);

        storport.host = first();
        assertEquals(SUCCESS, handle.getMessageInterruptIdFromProcessorIndex(0, h));
        assertEquals("answers again when the adapter returns", 1, h.value);
    }

    @Test
    public void refusesANameThatAnswersNothingNow() {
        Swapping storport = new Swapping(first());
        expectInvalid(() -> storport.adapter("nvme9"), "unknown adapter 'nvme9'", "lost0, nvme0");
        expectInvalid(() -> storport.adapter(null), "no adapter given");
        assertEquals("nvme0", storport.adapter("nvme0").name());
    }

    @Test
    public void theStatusCodeFormAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        Swapping storport = new Swapping(second());
        AdapterHandle handle = storport.adapter("nvme0");
        ULongHolder h = new ULongHolder();
        long sum = 0;
        for (int i = 0; i < 20_000; i++) { // past the resolve of the first call
            handle.getMessageInterruptIdFromProcessorIndex(i & 7, h);
            sum += h.value;
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 200_000; i++) {
            handle.getMessageInterruptIdFromProcessorIndex(i & 7, h);
            sum += h.value;
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue("200,000 lookups allocated " + allocated + " bytes", allocated < 1024);
        assertTrue(sum > 0);
    }
}

package storport.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static storport.api.Fixtures.expect;
import static storport.api.Fixtures.expectInvalid;
import static storport.api.Fixtures.message;
import static storport.api.Fixtures.nodes;

import java.util.List;

import org.junit.Test;

public class HostTest {
    private static final int SUCCESS = 0;
    private static final int UNSUCCESSFUL = 0xC1000001;
    private static final int INVALID_PARAMETER = 0xC1000006;
    private static final int SENTINEL = 0x5EED;

    private final Topology topology = Topology.of(nodes(40, 40));   // 80 processors

    /** 5 messages; processor p -> message 1 + p % 4 (message 0 = admin). */
    private Adapter nvme() {
        Adapter.Builder b = Adapter.builder("nvme0").aliases(List.of("nvme0", "disk0", "0000:01:00.0"));
        for (int m = 0; m < 5; m++) {
            b.message(message(topology, m));
        }
        int[] primary = new int[80];
        for (int p = 0; p < 80; p++) {
            primary[p] = 1 + p % 4;
        }
        return b.redirection(1, 4).primary(primary).build(topology);
    }

    /** Serves processors 0..39 only. */
    private Adapter half() {
        Adapter.Builder b = Adapter.builder("half");
        b.message(message(topology, 0, Fixtures.range(0, 40)));
        return b.build(topology);
    }

    private Host host() {
        return new Host("test", topology, List.of(nvme(), half()));
    }

    @Test
    public void successWritesTheHolder() {
        Host h = host();
        ULongHolder out = new ULongHolder();
        for (int p = 0; p < 80; p++) {
            out.value = SENTINEL;
            assertEquals(SUCCESS, h.getMessageInterruptIdFromProcessorIndex("nvme0", p, out));
            assertEquals("processor " + p, 1 + p % 4, out.value);
        }
        out.value = SENTINEL;
        assertEquals(SUCCESS, h.getMessageInterruptIdFromProcessorIndex("nvme0", 17, out));
        assertEquals(2, out.value);
        assertEquals("2", out.toString());
    }

    @Test
    public void indexOutsideRangeIsInvalidAndHolderUntouched() {
        Host h = host();
        ULongHolder out = new ULongHolder();
        for (int index : new int[] {-1, 80, 81, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            out.value = SENTINEL;
            assertEquals("index " + index, INVALID_PARAMETER, h.getMessageInterruptIdFromProcessorIndex("nvme0", index, out));
            assertEquals("index " + index, SENTINEL, out.value);
        }
    }

    @Test
    public void badAdapterOrHolderIsInvalid() {
        Host h = host();
        ULongHolder out = new ULongHolder();
        out.value = SENTINEL;
        assertEquals(INVALID_PARAMETER, h.getMessageInterruptIdFromProcessorIndex("nvme9", 0, out));
        assertEquals(INVALID_PARAMETER, h.getMessageInterruptIdFromProcessorIndex(null, 0, out));
        assertEquals(INVALID_PARAMETER, h.getMessageInterruptIdFromProcessorIndex("", 0, out));
        assertEquals(SENTINEL, out.value);
        assertEquals(INVALID_PARAMETER, h.getMessageInterruptIdFromProcessorIndex("nvme0", 0, null));
    }

    @Test
    public void unservedProcessorIsUnsuccessfulAndHolderUntouched() {
        Host h = host();
        ULongHolder out = new ULongHolder();
        out.value = SENTINEL;
        assertEquals(SUCCESS, h.getMessageInterruptIdFromProcessorIndex("half", 39, out));
        assertEquals(0, out.value);
        out.value = SENTINEL;
        assertEquals(UNSUCCESSFUL, h.getMessageInterruptIdFromProcessorIndex("half", 40, out));
        assertEquals(SENTINEL, out.value);
        expect(StorStatus.UNSUCCESSFUL, () -> h.messageInterruptId("half", 40), "processor 40");
    }

    @Test
    public void unavailableAdapterIsUnsuccessful() {
        Adapter.Builder b = Adapter.builder("lost");
        b.message(message(topology, 0, Fixtures.range(0, 80)));
        Host h = new Host("test", topology, List.of(b.unavailable("backend lost the device").build(topology)));
        ULongHolder out = new ULongHolder();
        out.value = SENTINEL;
        assertEquals(UNSUCCESSFUL, h.getMessageInterruptIdFromProcessorIndex("lost", 3, out));
        assertEquals(SENTINEL, out.value);
        expect(StorStatus.UNSUCCESSFUL, () -> h.messageInterruptId("lost", 3), "backend lost the device");
    }

    @Test
    public void aliasesSelectTheAdapter() {
        Host h = host();
        ULongHolder out = new ULongHolder();
        assertEquals(SUCCESS, h.getMessageInterruptIdFromProcessorIndex("disk0", 5, out));
        assertEquals(2, out.value);
        out.value = SENTINEL;
        assertEquals(SUCCESS, h.getMessageInterruptIdFromProcessorIndex("0000:01:00.0", 7, out));
        assertEquals(4, out.value);
        assertSame(h.adapter("nvme0"), h.find("disk0"));
        assertSame(h.adapter("nvme0"), h.adapter("0000:01:00.0"));
        assertEquals(3, h.messageInterruptId("disk0", 10));
        assertNull(h.find("nope"));
        assertNull(h.find(null));
    }

    @Test
    public void idiomaticForm() {
        Host h = host();
        for (int p = 0; p < 80; p++) {
            assertEquals(1 + p % 4, h.messageInterruptId("nvme0", p));
        }
    }

    @Test
    public void idiomaticFormKeepsTheLongIndexInTheMessage() {
        Host h = host();
        StorPortException e = expectInvalid(() -> h.messageInterruptId("nvme0", 99999999999L));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: processor index 99999999999 is outside 0..79", e.getMessage());
        e = expectInvalid(() -> h.messageInterruptId("nvme0", -1));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: processor index -1 is outside 0..79", e.getMessage());
        e = expectInvalid(() -> h.messageInterruptId("nvme0", 80));
        assertEquals("STOR_STATUS_INVALID_PARAMETER: processor index 80 is outside 0..79", e.getMessage());
    }

    @Test
    public void idiomaticFormRejectsUnknownAdapters() {
        Host h = host();
        expectInvalid(() -> h.messageInterruptId("nvme9", 0), "unknown adapter 'nvme9'", "half, nvme0");
        expectInvalid(() -> h.messageInterruptId(null, 0), "no adapter given");
    }

    @Test
    public void sharedAliasIsInvalid() {
        Adapter a = Adapter.builder("a").aliases(List.of("disk")).build(topology);
        Adapter b = Adapter.builder("b").aliases(List.of("disk")).build(topology);
        expectInvalid(() -> new Host("test", topology, List.of(a, b)), "adapters a and b both answer to 'disk'");
    }

    @Test
    public void aliasEqualToAnotherIdIsInvalid() {
        Adapter a = Adapter.builder("a").build(topology);
        Adapter b = Adapter.builder("b").aliases(List.of("a")).build(topology);
        expectInvalid(() -> new Host("test", topology, List.of(b, a)), "both answer to 'a'");
    }

    @Test
    public void duplicateIdIsInvalid() {
        Adapter a1 = Adapter.builder("a").build(topology);
        Adapter a2 = Adapter.builder("a").build(topology);
        expectInvalid(() -> new Host("test", topology, List.of(a1, a2)), "'a'");
    }

    @Test
    public void adaptersAscendingById() {
        Host h = new Host("sim", topology, List.of(nvme(), half(), Adapter.builder("ahci").build(topology)));
        assertEquals(List.of("ahci", "half", "nvme0"), h.adapters().stream().map(Adapter::id).toList());
        assertEquals("sim", h.backend());
        assertSame(topology, h.topology());
    }
}

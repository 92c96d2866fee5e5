package storport.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;
import static storport.api.Fixtures.expect;
import static storport.api.Fixtures.expectInvalid;
import static storport.api.Fixtures.message;
import static storport.api.Fixtures.nodes;
import static storport.api.Fixtures.range;

import java.util.List;

import org.junit.Test;

public class AdapterTest {

    private final Topology t = Topology.of(nodes(8));   // processors 0..7

    private Adapter.Builder withMessages(String id, int count) {
        Adapter.Builder b = Adapter.builder(id);
        for (int m = 0; m < count; m++) {
            b.message(message(t, m));
        }
        return b;
    }

    @Test
    public void primaryMapWins() {
        Adapter.Builder b = Adapter.builder("a");
        b.message(message(t, 0));
        b.message(message(t, 1, range(0, 8)));          // targets every processor
        b.message(message(t, 2));
        b.message(message(t, 3, 0, 1));
        Adapter a = b.primary(new int[] {3, 3, 2, 2, -1, -1, -1, -1}).build(t);
        int[] expected = {3, 3, 2, 2, 1, 1, 1, 1};
        for (int p = 0; p < 8; p++) {
            assertEquals("processor " + p, expected[p], a.messageOf(p));
            assertEquals("processor " + p, expected[p], a.messageInterruptId(p));
        }
    }

    @Test
    public void primaryMayNameAMessageOutsideTheRedirectionRange() {
        Adapter a = withMessages("a", 3).redirection(1, 2).primary(new int[] {0, 0, 0, 0, 0, 0, 0, 0}).build(t);
        assertEquals(0, a.messageOf(5));
    }

    @Test
    public void lowestRedirectionMessageContainingTheProcessor() {
        Adapter.Builder b = Adapter.builder("a");
        b.message(message(t, 0, range(0, 8)));          // outside the redirection range: never used
        b.message(message(t, 1));                       // targets nothing
        b.message(message(t, 2, 2, 3, 4, 5));
        b.message(message(t, 3, 0, 1, 2, 3));
        b.message(message(t, 4, 5, 6));
        Adapter a = b.redirection(1, 4).build(t);
        int[] expected = {3, 3, 2, 2, 2, 2, 4, -1};
        for (int p = 0; p < 8; p++) {
            assertEquals("processor " + p, expected[p], a.messageOf(p));
        }
        assertEquals(1, a.firstRedirectionMessage());
        assertEquals(4, a.lastRedirectionMessage());
    }

    @Test
    public void redirectionFillsOnlyProcessorsWithoutAPrimaryEntry() {
        Adapter.Builder b = Adapter.builder("a");
        b.message(message(t, 0));
        b.message(message(t, 1, range(0, 8)));
        b.message(message(t, 2, range(0, 8)));
        Adapter a = b.redirection(1, 2).primary(new int[] {2, -1, 2, -1, 2, -1, 2, -1}).build(t);
        int[] expected = {2, 1, 2, 1, 2, 1, 2, 1};
        for (int p = 0; p < 8; p++) {
            assertEquals("processor " + p, expected[p], a.messageOf(p));
        }
    }

    @Test
    public void uncoveredProcessorIsUnsuccessfulWithAReason() {
        Adapter.Builder b = Adapter.builder("a");
        b.message(message(t, 0, range(0, 8)));
        b.message(message(t, 1, 0, 1, 2, 3, 4, 5, 6));
        Adapter a = b.redirection(1, 1).build(t);
        assertEquals(1, a.messageInterruptId(6));
        assertEquals(-1, a.messageOf(7));
        expect(StorStatus.UNSUCCESSFUL, () -> a.messageInterruptId(7), "processor 7", "adapter a");
    }

    @Test
    public void noMessagesIsUnsuccessful() {
        Adapter a = Adapter.builder("empty").build(t);
        assertEquals(0, a.messageCount());
        for (int p = 0; p < 8; p++) {
            assertEquals(-1, a.messageOf(p));
        }
        expect(StorStatus.UNSUCCESSFUL, () -> a.messageInterruptId(0), "adapter empty has no message interrupts");
    }

    @Test
    public void unavailableAdapterIsUnsuccessfulWithTheReason() {
        Adapter a = withMessages("gone", 2).primary(new int[] {1, 1, 1, 1, 1, 1, 1, 1}).unavailable("device removed").build(t);
        assertEquals("device removed", a.unavailableReason());
        for (int p = 0; p < 8; p++) {
            final int q = p;
            assertEquals(-1, a.messageOf(q));
            expect(StorStatus.UNSUCCESSFUL, () -> a.messageInterruptId(q), "adapter gone is unavailable: device removed");
        }
        Adapter ok = withMessages("ok", 2).primary(new int[] {1, 1, 1, 1, 1, 1, 1, 1}).build(t);
        assertNull(ok.unavailableReason());
    }

    @Test
    public void indexOutsideRangeIsInvalidParameter() {
        Adapter a = withMessages("a", 2).primary(new int[] {1, 1, 1, 1, 1, 1, 1, 1}).build(t);
        expectInvalid(() -> a.messageInterruptId(-1), "processor index -1 is outside 0..7");
        expectInvalid(() -> a.messageInterruptId(8), "processor index 8 is outside 0..7");
        expectInvalid(() -> a.messageInterruptId(99999999999L), "processor index 99999999999 is outside 0..7");
        assertEquals(-1, a.messageOf(-1));
        assertEquals(-1, a.messageOf(8));
        assertEquals(-1, a.messageOf(Integer.MAX_VALUE));
    }

    @Test
    public void defaultRedirectionRangeIsAllMessages() {
        Adapter a = withMessages("a", 5).build(t);
        assertEquals(0, a.firstRedirectionMessage());
        assertEquals(4, a.lastRedirectionMessage());
        assertEquals(5, a.messageCount());
    }

    @Test
    public void messageInfo() {
        Adapter a = withMessages("a", 3).build(t);
        for (int m = 0; m < 3; m++) {
            assertEquals(m, a.message(m).messageId());
            assertEquals(m, a.messages().get(m).messageId());
            assertEquals(0x40 + m, a.message(m).messageData());
        }
        expectInvalid(() -> a.message(3), "message 3 is outside 0..2");
        expectInvalid(() -> a.message(-1), "message -1");
    }

    @Test
    public void attributes() {
        Adapter a = withMessages("nvme0", 1).aliases(List.of("disk")).node(1).driver("nvme").policy("blk-mq").build(t);
        assertEquals("nvme0", a.id());
        assertEquals(List.of("disk"), a.aliases());
        assertEquals(1, a.node());
        assertEquals("nvme", a.driver());
        assertEquals("blk-mq", a.policy());
        Adapter d = Adapter.builder("x").build(t);
        assertEquals(-1, d.node());
        assertEquals("", d.driver());
        assertEquals(List.of(), d.aliases());
    }

    @Test
    public void primaryLengthMismatchIsInvalid() {
        expectInvalid(() -> withMessages("a", 2).primary(new int[7]).build(t), "7 entries for 8 processors");
        expectInvalid(() -> withMessages("a", 2).primary(new int[9]).build(t), "9 entries for 8 processors");
    }

    @Test
    public void primaryMessageOutOfRangeIsInvalid() {
        expectInvalid(() -> withMessages("a", 4).primary(new int[] {0, 1, 2, 3, 4, 0, 0, 0}).build(t),
                "processor 4 maps to message 4, outside 0..3");
        expectInvalid(() -> withMessages("a", 4).primary(new int[] {0, -2, 0, 0, 0, 0, 0, 0}).build(t),
                "processor 1 maps to message -2");
        expectInvalid(() -> Adapter.builder("a").primary(new int[] {0, 0, 0, 0, 0, 0, 0, 0}).build(t), "message 0");
    }

    @Test
    public void redirectionRangeOutside0ToCountMinus1IsInvalid() {
        expectInvalid(() -> withMessages("a", 4).redirection(0, 4).build(t), "redirection range 0..4 is not inside 0..3");
        expectInvalid(() -> withMessages("a", 4).redirection(-1, 3).build(t), "redirection range -1..3");
        expectInvalid(() -> withMessages("a", 4).redirection(3, 2).build(t), "redirection range 3..2");
        expectInvalid(() -> withMessages("a", 4).redirection(4, 3).build(t), "redirection range 4..3");
        Adapter ok = withMessages("a", 4).redirection(3, 3).build(t);
        assertEquals(3, ok.firstRedirectionMessage());
    }

    @Test
    public void redirectionTargetOutsideTheHostIsInvalid() {
        Adapter.Builder b = Adapter.builder("a");
        b.message(new MessageInterrupt(0, 0, 0, 0, 0, InterruptMode.LATCHED, "m0", -1, List.of(), List.of(8)));
        expectInvalid(() -> b.build(t), "message 0 targets processor 8");
    }

    @Test
    public void moreThan2048MessagesIsInvalid() {
        expectInvalid(() -> withMessages("big", 2049).build(t), "2049 messages is more than 2048");
        assertEquals(2048, withMessages("max", 2048).build(t).messageCount());
    }

    @Test
    public void builderNeedsAName() {
        expectInvalid(() -> Adapter.builder(null), "name");
        expectInvalid(() -> Adapter.builder(" "), "name");
    }

    @Test
    public void messagesMustBeAddedInOrder() {
        Adapter.Builder b = Adapter.builder("a");
        try {
            b.message(message(t, 1));
            fail("message 1 before message 0");
        } catch (IllegalArgumentException expected) {
            // expected
        }
    }

    @Test
    public void primaryArrayIsCopied() {
        int[] primary = {1, 1, 1, 1, 1, 1, 1, 1};
        Adapter.Builder b = withMessages("a", 2).primary(primary);
        primary[0] = 0;
        assertEquals(1, b.build(t).messageOf(0));
    }
}

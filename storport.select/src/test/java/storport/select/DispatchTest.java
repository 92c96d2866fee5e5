package storport.select;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

import storport.api.AdapterHandle;
import storport.api.StorStatus;
import storport.api.ULongHolder;

/** The dispatch: which backend answers, and that a switch is seen by the very next call. */
public class DispatchTest {
    private final Fakes.Backend sim = new Fakes.Backend("sim", 0, 0);
    private final Fakes.Backend nativeHost = new Fakes.Backend("native", 10, 0);
    private final Fakes.Backend test = new Fakes.Backend("test", 20, 0);

    private static int answer(Dispatch d, int p) {
        ULongHolder h = new ULongHolder();
        assertEquals(StorStatus.SUCCESS.code(), d.getMessageInterruptIdFromProcessorIndex("nvme0", p, h));
        return h.value;
    }

    @Test
    public void answersFromThePreferredBackendAndFollowsEachSwitchAtOnce() {
        Dispatch d = new Dispatch("native");
        d.addBackend(sim.ref, sim);
        assertEquals("the preferred one is not registered yet", "sim", d.activeName());
        assertEquals(3, answer(d, 3));
        d.addBackend(nativeHost.ref, nativeHost);
        assertEquals("the preferred one takes over when it registers", "native", d.activeName());
        assertEquals(13, answer(d, 3));
        assertEquals("native", d.backend());
        assertEquals("native", d.host().backend());
        d.refresh();
        assertEquals("refresh goes to the backend's own method", 1, nativeHost.refreshes);
        d.prefer("sim");
        assertEquals(3, answer(d, 3));
        assertEquals(4, d.messageInterruptId("nvme0", 4));
    }

    @Test
    public void startsFromThePersistedChoice() throws Exception {
        Fakes.ConfigAdmin cm = new Fakes.ConfigAdmin();
        Dispatch fresh = new Dispatch(cm.service);
        fresh.addBackend(nativeHost.ref, nativeHost);
        fresh.addBackend(sim.ref, sim);
        assertEquals("nothing persisted: the default", "sim", fresh.activeName());
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("active", "native");
        cm.configuration(BackendSelector.PID).update(props);
        Dispatch restarted = new Dispatch(cm.service);
        restarted.addBackend(sim.ref, sim);
        restarted.addBackend(nativeHost.ref, nativeHost);
        assertEquals("native", restarted.activeName());
    }

    @Test
    public void fallsOverToTheHighestRankedAndComesBack() {
        Fakes.Backend ranked = new Fakes.Backend("ranked", 30, 5);
        Dispatch d = new Dispatch("test");
        d.addBackend(sim.ref, sim);
        d.addBackend(test.ref, test);
        d.addBackend(ranked.ref, ranked);
        assertEquals("test", d.activeName());
        d.removeBackend(test.ref);
        assertEquals("highest ranking wins when the choice is away", "ranked", d.activeName());
        d.removeBackend(ranked.ref);
        assertEquals("then the oldest of equal ranking", "sim", d.activeName());
        assertEquals(5, answer(d, 5));
        d.addBackend(test.ref, test);
        assertEquals("back to the choice when it returns", "test", d.activeName());
        d.removeBackend(test.ref);
        d.removeBackend(sim.ref);
        assertEquals("a call racing the last unregistration still gets an answer", 5, answer(d, 5));
    }

    @Test
    public void aHandleFollowsBackendSwitchesAndSnapshotSwaps() {
        Dispatch d = new Dispatch("sim");
        d.addBackend(sim.ref, sim);
        d.addBackend(test.ref, test);
        AdapterHandle handle = d.adapter("nvme0");
        ULongHolder h = new ULongHolder();
        assertEquals(StorStatus.SUCCESS.code(), handle.getMessageInterruptIdFromProcessorIndex(2, h));
        assertEquals(2, h.value);
        d.prefer("test");
        assertEquals(StorStatus.SUCCESS.code(), handle.getMessageInterruptIdFromProcessorIndex(2, h));
        assertEquals(22, h.value);
        test.host = Fakes.host("test", 40);
        assertEquals(42, handle.messageInterruptId(2));
        d.removeBackend(test.ref);
        assertEquals(2, handle.messageInterruptId(2));
        assertEquals(StorStatus.INVALID_PARAMETER.code(), handle.getMessageInterruptIdFromProcessorIndex(8, h));
    }

    /**
     * Two threads ask through one handle and by name while a third switches as fast as it can:
     * every answer is one backend's, and the switching thread's own next call always sees its switch.
     */
    @Test
    public void switchingUnderLoadNeverFailsOrMixesAnswers() throws Exception {
        Dispatch d = new Dispatch("sim");
        d.addBackend(sim.ref, sim);
        d.addBackend(test.ref, test);
        AdapterHandle handle = d.adapter("nvme0");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lookups = new AtomicLong();
        AtomicLong fromSim = new AtomicLong();
        AtomicLong fromTest = new AtomicLong();
        AtomicReference<String> problem = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            boolean byHandle = t == 0;
            Thread thread = new Thread(() -> {
                ULongHolder h = new ULongHolder();
                int p = 0;
                while (!stop.get()) {
                    p = (p + 3) & 7;
                    int status = byHandle ? handle.getMessageInterruptIdFromProcessorIndex(p, h)
                            : d.getMessageInterruptIdFromProcessorIndex("nvme0", p, h);
                    lookups.incrementAndGet();
                    if (status == StorStatus.SUCCESS.code() && h.value == p) {
                        fromSim.incrementAndGet();
                    } else if (status == StorStatus.SUCCESS.code() && h.value == 20 + p) {
                        fromTest.incrementAndGet();
                    } else {
                        problem.compareAndSet(null, "processor " + p + ": status " + status + ", message " + h.value);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        int stale = 0;
        // on a busy machine the readers may start late: switch until both backends have answered them (at most 10 s)
        while (lookups.get() == 0) {
            Thread.onSpinWait();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int i = 0; i < 20_000 || ((fromSim.get() == 0 || fromTest.get() == 0) && System.nanoTime() < deadline); i++) {
            boolean toTest = i % 2 == 0;
            d.prefer(toTest ? "test" : "sim");
            if (handle.messageInterruptId(1) != (toTest ? 21 : 1)) {
                stale++;
            }
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals("answers from the old backend right after a switch", 0, stale);
        assertEquals(null, problem.get());
        assertTrue("both answered: " + fromSim + " / " + fromTest, fromSim.get() > 0 && fromTest.get() > 0);
    }
}

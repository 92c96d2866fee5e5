package storport.select;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;

import org.junit.After;
import org.junit.Test;

import storport.api.backend.BackendInfo;
import storport.api.backend.BackendStatus;
import storport.api.StorPortException;
import storport.api.StorStatus;

/**
 * The persisted choice: one write per switch, on the writer thread right after the in-memory switch,
 * done when select returns, never undone by a late delivery; a failed write is reported at once.
 */
public class BackendSelectorTest {
    private final Fakes.ConfigAdmin cm = new Fakes.ConfigAdmin();
    private final Fakes.Backend sim = new Fakes.Backend("sim", 0, 0);
    private final Fakes.Backend test = new Fakes.Backend("test", 20, 0);
    private final BackendSelector selector = new BackendSelector();
    private final Dispatch dispatch = new Dispatch("sim");

    /** Wired as SCR wires them: references first, then activation. */
    public BackendSelectorTest() {
        selector.configurationAdmin = cm.service;
        for (Fakes.Backend b : new Fakes.Backend[] {sim, test}) {
            dispatch.addBackend(b.ref, b);
            selector.addBackend(b.ref);
        }
        selector.bindDispatch(dispatch);
        selector.activate(Fakes.config("sim"));
    }

    @After
    public void stop() {
        selector.deactivate();
    }

    private void awaitWrites() throws Exception {
        selector.awaitWrites(10_000);
    }

    private static StorPortException refused(Runnable r) {
        try {
            r.run();
        } catch (StorPortException e) {
            return e;
        }
        fail("expected a refusal");
        return null;
    }

    @Test
    public void aSwitchIsOnePersistedWriteAndTheNextCallAnswersFromTheNewBackend() throws Exception {
        selector.select("test");
        awaitWrites();
        assertEquals(1, cm.writes.get());
        assertEquals("test", cm.persistedChoice());
        assertEquals("test", selector.active());
        assertEquals("test", selector.preferred());
        assertEquals(23, dispatch.messageInterruptId("nvme0", 3));
        selector.select("test");
        awaitWrites();
        assertEquals("choosing the same backend again writes nothing", 1, cm.writes.get());
        selector.select("sim");
        awaitWrites();
        assertEquals(2, cm.writes.get());
        assertEquals(3, dispatch.messageInterruptId("nvme0", 3));
    }

    @Test
    public void aLateDeliveryOfAnOlderChoiceDoesNotUndoANewerSwitch() throws Exception {
        selector.select("test");
        selector.select("sim");
        awaitWrites();
        assertEquals("sim", cm.persistedChoice());
        // Config Admin delivers the first write after the second switch, with the value of then
        selector.modified(Fakes.config("test"));
        assertEquals("sim", selector.active());
        assertEquals("sim", selector.preferred());
        assertEquals(3, dispatch.messageInterruptId("nvme0", 3));
    }

    @Test
    public void aChangeMadeStraightInConfigAdminSwitchesWhenDelivered() throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("active", "test");
        cm.configuration(BackendSelector.PID).update(props);
        selector.modified(Fakes.config("test"));
        assertEquals("test", selector.active());
        assertEquals(23, dispatch.messageInterruptId("nvme0", 3));
    }

    /** Runs a select on a thread of its own, as a second user would; keeps what it threw. */
    private static final class Selecting extends Thread {
        private final BackendSelector selector;
        private final String name;
        volatile RuntimeException thrown;

        Selecting(BackendSelector selector, String name) {
            this.selector = selector;
            this.name = name;
            start();
        }

        @Override
        public void run() {
            try {
                selector.select(name);
            } catch (RuntimeException e) {
                thrown = e;
            }
        }

        void finish() throws InterruptedException {
            join(10_000);
            assertTrue("select returned once the disk let the write through", !isAlive());
            if (thrown != null) {
                throw thrown;
            }
        }
    }

    /**
     * Consumers answer from the new backend before the write; select returns only after it, so a
     * choice a user was told about is on disk. A delivery meanwhile changes nothing.
     */
    @Test
    public void theSwitchIsDoneBeforeTheWriteAndSelectReturnsAfterIt() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        cm.gate = disk;
        Selecting s = new Selecting(selector, "test");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"test".equals(selector.active()) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals("switched while the write waits", "test", selector.active());
        assertEquals(23, dispatch.messageInterruptId("nvme0", 3));
        assertEquals(null, cm.persistedChoice());
        Thread.sleep(50);
        assertTrue("select waits for the write", s.isAlive());
        selector.modified(Fakes.config("sim")); // e.g. the delivery of an older write
        assertEquals("test", selector.active());
        disk.countDown();
        s.finish();
        assertEquals("test", cm.persistedChoice());
        selector.modified(Fakes.config("test")); // the write's own delivery
        assertEquals("test", selector.active());
    }

    @Test
    public void switchesFasterThanTheDiskShareOneWriteAndTheLastChoiceIsPersisted() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        cm.gate = disk;
        Selecting first = new Selecting(selector, "test"); // its write waits on the disk
        Thread.sleep(50);
        Selecting[] more = new Selecting[40];
        for (int i = 0; i < more.length; i++) {
            more[i] = new Selecting(selector, i % 2 == 0 ? "sim" : "test");
        }
        Thread.sleep(100);
        String last = selector.active();
        disk.countDown();
        first.finish();
        for (Selecting s : more) {
            s.finish();
        }
        // the first write, then at most one for the forty switches behind it (none if it ends where the first did)
        assertEquals("test".equals(last) ? 1 : 2, cm.writes.get());
        assertEquals("the latest choice is persisted", last, cm.persistedChoice());
        assertEquals(last, selector.preferred());
    }

    @Test
    public void aStopWritesAPendingChoiceFirst() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        cm.gate = disk;
        Selecting s = new Selecting(selector, "test");
        Thread.sleep(50);
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            disk.countDown();
        });
        release.start();
        selector.deactivate();
        assertEquals("test", cm.persistedChoice());
        s.finish();
    }

    @Test
    public void aChoiceThatCouldNotBePersistedIsReportedAndTheNextSwitchRetries() throws Exception {
        cm.failWrites = true;
        StorPortException first = refused(() -> selector.select("test"));
        assertEquals(StorStatus.UNSUCCESSFUL, first.status());
        assertEquals("backend test answers now, but the choice could not be persisted: disk full (it holds for this run only)",
                first.reason());
        assertEquals("the switch holds for this run", "test", selector.active());
        StorPortException e = refused(() -> selector.select("sim"));
        assertEquals(StorStatus.UNSUCCESSFUL, e.status());
        assertEquals("cannot persist the backend choice: disk full (backend test stays active, chosen for this run only)", e.reason());
        assertEquals("no switch after the refusal", "test", selector.active());
        cm.failWrites = false;
        selector.select("sim");
        assertEquals("sim", selector.active());
        assertEquals("the retry and the new choice are written", "sim", cm.persistedChoice());
    }

    @Test
    public void refusesBackendsThatCannotAnswerWithTheReason() throws Exception {
        selector.addStatus(new BackendStatus() {
            @Override
            public String backend() {
                return "native";
            }

            @Override
            public String unavailableReason() {
                return "no /sys under /";
            }
        });
        assertEquals("backend 'native' is unavailable: no /sys under / (available: sim, test)",
                refused(() -> selector.select("native")).reason());
        assertEquals("unknown backend 'nope' (available: sim, test)", refused(() -> selector.select("nope")).reason());
        assertEquals("no backend given", refused(() -> selector.select(" ")).reason());
        selector.removeBackend(test.ref);
        dispatch.removeBackend(test.ref);
        assertEquals("backend 'test' is not registered now (available: sim)", refused(() -> selector.select("test")).reason());
        awaitWrites();
        assertEquals(0, cm.writes.get());
        assertEquals(java.util.List.of(new BackendInfo("native", false, "no /sys under /", false, false),
                new BackendInfo("sim", true, "", true, true), new BackendInfo("test", false, "not registered", false, false)),
                selector.backends());
    }

    @Test
    public void theChosenBackendGoingAwayLeavesConsumersOnAnotherAndTheChoiceKept() {
        selector.select("test");
        selector.removeBackend(test.ref);
        dispatch.removeBackend(test.ref);
        assertEquals("sim", selector.active());
        assertEquals("test", selector.preferred());
        dispatch.addBackend(test.ref, test);
        selector.addBackend(test.ref);
        assertEquals("test", selector.active());
    }
}

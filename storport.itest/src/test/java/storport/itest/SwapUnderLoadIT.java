package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import storport.api.Backends;
import storport.api.SimulatorControl;
import storport.api.StorPort;

/**
 * Two threads ask the seed call through the real Gogo shell while the active backend is switched
 * back and forth and the simulator bundle is stopped and started; a second backend stays registered.
 * Every answer must come back and be the answer of one of the two backends for that processor.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SwapUnderLoadIT {
    private static final int SWITCHES = 200;
    private static final int SIM_RESTARTS = 20;
    private static final int PROCESSORS = 80;

    @Inject
    BundleContext context;
    @Inject
    CommandProcessor processor;
    @Inject
    Backends backends;
    @Inject
    SimulatorControl sim;
    @Inject
    StorPort storport;

    @Configuration
    public Option[] config() {
        return StorportOptions.base(StorportOptions.freshDir("SwapUnderLoadIT"));
    }

    @Test
    public void noLookupFailsOrIsInconsistentWhileBackendsSwap() throws Exception {
        Gogo.awaitCommands(context, ProductIT.COMMANDS);
        Sims.reset(sim);
        int[] simAnswer = new int[PROCESSORS];
        for (int p = 0; p < PROCESSORS; p++) {
            simAnswer[p] = sim.adapters().isEmpty() ? -1 : storport.messageInterruptId("nvme0", p);
        }
        TestBackend test = new TestBackend(PROCESSORS);
        test.register(context);
        Bundle simBundle = bundle("storport.sim");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lookups = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong inconsistent = new AtomicLong();
        AtomicLong fromSim = new AtomicLong();
        AtomicLong fromTest = new AtomicLong();
        AtomicReference<String> firstProblem = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int seed = t;
            Thread thread = new Thread(() -> {
                try (Gogo gogo = new Gogo(processor)) {
                    int p = seed * 37;
                    while (!stop.get()) {
                        p = (p + 13) % PROCESSORS;
                        lookups.incrementAndGet();
                        try {
                            int m = Integer.parseInt(gogo.run("storport:msgid nvme0 " + p).trim());
                            if (m == simAnswer[p]) {
                                fromSim.incrementAndGet();
                            } else if (m == TestBackend.expected(p)) {
                                fromTest.incrementAndGet();
                            } else {
                                inconsistent.incrementAndGet();
                                firstProblem.compareAndSet(null, "processor " + p + " answered " + m);
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            firstProblem.compareAndSet(null, "processor " + p + ": " + e);
                        }
                    }
                }
            }, "lookup-" + t);
            threads.add(thread);
            thread.start();
        }

        int switches = 0;
        int restarts = 0;
        int staleAfterSwitch = 0;
        Gogo checker = new Gogo(processor);
        try {
            for (int i = 0; switches < SWITCHES || restarts < SIM_RESTARTS; i++) {
                if (i % 10 == 9 && restarts < SIM_RESTARTS) {
                    simBundle.stop();
                    Thread.sleep(5);
                    simBundle.start();
                    restarts++;
                    awaitRegistered("sim");
                } else {
                    String next = switches % 2 == 0 ? TestBackend.NAME : "sim";
                    backends.select(next);
                    assertEquals("consumers follow the switch", next, backends.active());
                    // select() returns once consumers have rebound: the very next command answers from the new backend
                    int answer = Integer.parseInt(checker.run("storport:msgid nvme0 3").trim());
                    if (answer != (next.equals("sim") ? simAnswer[3] : TestBackend.expected(3))) {
                        staleAfterSwitch++;
                    }
                    switches++;
                }
            }
        } finally {
            checker.close();
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
            test.unregister();
        }
        System.out.printf("swap under load: %d lookups (%d from sim, %d from test), %d failed, %d inconsistent, "
                + "%d backend switches (%d stale right after), %d sim bundle restarts%n", lookups.get(), fromSim.get(), fromTest.get(),
                failed.get(), inconsistent.get(), switches, staleAfterSwitch, restarts);
        assertEquals("answers from the old backend right after a switch returned", 0, staleAfterSwitch);
        assertEquals("failed lookups, first: " + firstProblem.get(), 0, failed.get());
        assertEquals("inconsistent lookups, first: " + firstProblem.get(), 0, inconsistent.get());
        assertTrue("both backends answered: sim " + fromSim.get() + ", test " + fromTest.get(),
                fromSim.get() > 0 && fromTest.get() > 0);
        assertTrue("lookups ran throughout: " + lookups.get(), lookups.get() > 1000);
        assertEquals(SWITCHES, switches);
        assertEquals(SIM_RESTARTS, restarts);
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }

    private void awaitRegistered(String backend) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (context.getServiceReferences(StorPort.class, "(" + StorPort.BACKEND + "=" + backend + ")").isEmpty()) {
            assertTrue(backend + " came back within 10 s", System.currentTimeMillis() < deadline);
            Thread.sleep(5);
        }
    }
}

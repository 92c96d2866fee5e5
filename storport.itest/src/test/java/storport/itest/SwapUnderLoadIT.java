package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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

import storport.api.backend.Backends;
import storport.api.sim.SimulatorControl;
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

        int[] testAnswer = new int[PROCESSORS];
        for (int p = 0; p < PROCESSORS; p++) {
            testAnswer[p] = TestBackend.expected(p);
        }
        LookupLoad load = LookupLoad.start(processor, 2, "nvme0", PROCESSORS, 13,
                (p, m, before) -> LookupLoad.either(m, p, "sim", simAnswer, "test", testAnswer));

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
            load.stop();
            test.unregister();
        }
        LookupLoad.Result r = load.stop();
        System.out.printf("swap under load: %d lookups (%d from sim, %d from test), %d failed, %d inconsistent, "
                + "%d backend switches (%d stale right after), %d sim bundle restarts%n", r.lookups(), r.count("sim"), r.count("test"),
                r.failed(), r.inconsistent(), switches, staleAfterSwitch, restarts);
        assertEquals("answers from the old backend right after a switch returned", 0, staleAfterSwitch);
        assertEquals("failed lookups, first: " + r.firstProblem(), 0, r.failed());
        assertEquals("inconsistent lookups, first: " + r.firstProblem(), 0, r.inconsistent());
        assertTrue("both backends answered: " + r, r.count("sim") > 0 && r.count("test") > 0);
        assertTrue("lookups ran throughout: " + r.lookups(), r.lookups() > 1000);
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

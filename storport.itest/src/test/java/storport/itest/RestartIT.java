package storport.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

import storport.api.backend.Backends;
import storport.api.sim.SimulatedAdapter;
import storport.api.sim.SimulatorControl;

/**
 * Pax Exam starts a new framework for each method here; Config Admin's folder is the same for both.
 * The first method changes the simulator and the backend choice, the second checks both survived.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class RestartIT {
    /** Made once per test JVM: the driver calls config() before each method's framework. */
    private static Path cmDir;

    @Inject
    BundleContext context;
    @Inject
    CommandProcessor processor;
    @Inject
    SimulatorControl sim;
    @Inject
    Backends backends;

    @Configuration
    public Option[] config() {
        if (cmDir == null) {
            cmDir = StorportOptions.freshDir("RestartIT");
        }
        return StorportOptions.base(cmDir);
    }

    private Path marker() {
        return Path.of(context.getProperty("felix.cm.dir")).resolveSibling("RestartIT.framework-uuid");
    }

    @Test
    public void a_changeConfigurationAndBackend() throws Exception {
        Gogo.awaitCommands(context, ProductIT.COMMANDS);
        try (Gogo gogo = new Gogo(processor)) {
            gogo.run("storport:sim-host node:2 core:8 pu:2");
            gogo.run("storport:sim-adapter kept --messages 8 --policy round-robin --node 1");
            gogo.run("storport:sim-remove sas0");
        }
        TestBackend test = new TestBackend(32);
        test.register(context);
        backends.select(TestBackend.NAME);
        assertEquals(TestBackend.NAME, backends.active());
        Files.writeString(marker(), context.getProperty(Constants.FRAMEWORK_UUID));
    }

    @Test
    public void b_afterRestartBothSurvive() throws Exception {
        assertNotEquals("a new framework", Files.readString(marker()), context.getProperty(Constants.FRAMEWORK_UUID));
        assertEquals("node:2 core:8 pu:2", sim.hostSpec());
        assertEquals(List.of("kept", "nvme0"), sim.adapters().stream().map(SimulatedAdapter::name).toList());
        SimulatedAdapter kept = sim.adapters().get(0);
        assertEquals(8, kept.messages());
        assertEquals("round-robin", kept.policy());
        assertEquals(1, kept.node());
        assertEquals(TestBackend.NAME, backends.preferred());
        Gogo.awaitCommands(context, ProductIT.COMMANDS);
        try (Gogo gogo = new Gogo(processor)) {
            // the chosen backend is not registered yet: consumers stay on the simulator meanwhile
            assertEquals("sim", backends.active());
            // 8 messages, first 1 by default: round-robin over 1..7
            assertEquals("4", gogo.run("storport:msgid kept 3").trim());
            TestBackend test = new TestBackend(32);
            test.register(context);
            long deadline = System.currentTimeMillis() + 10_000;
            String answer;
            while (!(answer = gogo.run("storport:msgid nvme0 3").trim()).equals(String.valueOf(TestBackend.expected(3)))) {
                assertTrue("the persisted choice takes over when it registers; still " + answer,
                        System.currentTimeMillis() < deadline);
                Thread.sleep(10);
            }
            assertEquals(TestBackend.NAME, backends.active());
        }
    }
}

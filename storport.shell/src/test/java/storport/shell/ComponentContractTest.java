package storport.shell;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.service.command.Descriptor;
import org.junit.Test;

/**
 * The generated component descriptions (bnd writes them to target/classes) register the contract's
 * functions in scope storport, and every function has a described method Gogo's help can show.
 */
public class ComponentContractTest {
    private static final Pattern FUNCTIONS = Pattern.compile("name=\"osgi.command.function\" type=\"String\"(?: value=\"([^\"]*)\"/>|>([^<]*)</property>)");

    static List<String> functions(Class<?> component) throws Exception {
        try (InputStream in = ComponentContractTest.class.getResourceAsStream("/OSGI-INF/" + component.getName() + ".xml")) {
            assertNotNull("no component description for " + component.getName(), in);
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml, xml.contains("<property name=\"osgi.command.scope\" type=\"String\" value=\"storport\"/>"));
            Matcher m = FUNCTIONS.matcher(xml);
            assertTrue(xml, m.find());
            List<String> out = new ArrayList<>();
            for (String f : (m.group(1) != null ? m.group(1) : m.group(2)).split("\\s+")) {
                if (!f.isEmpty()) {
                    out.add(f);
                }
            }
            return out;
        }
    }

    @Test
    public void contractFunctionsAreRegistered() throws Exception {
        assertEquals(List.of("adapters", "msgid", "map", "messages"), functions(AdapterCommands.class));
        assertEquals(List.of("topology"), functions(TopologyCommand.class));
        assertEquals(List.of("backend"), functions(BackendCommand.class));
        assertEquals(List.of("diff"), functions(DiffCommand.class));
        assertTrue(functions(SimulatorCommands.class).containsAll(List.of("sim-host", "sim-adapter", "sim-remove")));
    }

    @Test
    public void everyFunctionHasADescribedMethod() throws Exception {
        for (Class<?> c : List.of(AdapterCommands.class, TopologyCommand.class, BackendCommand.class, SimulatorCommands.class, DiffCommand.class)) {
            for (String f : functions(c)) {
                String name = f.replace("-", "");
                if (!name.equals(f)) {
                    assertNotNull(c.getMethod("_main", String[].class));
                }
                int found = 0;
                for (Method m : c.getMethods()) {
                    if (m.getName().equals(name)) {
                        found++;
                        assertNotNull(f + " has no help text", m.getAnnotation(Descriptor.class));
                        for (java.lang.reflect.Parameter p : m.getParameters()) {
                            assertNotNull(f + "'s parameter " + p + " has no help text", p.getAnnotation(Descriptor.class));
                        }
                    }
                }
                assertTrue("no method for " + f, found > 0);
            }
        }
    }

    @Test
    public void oneShotRunnerIsImmediateAndWaitsForGogo() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/OSGI-INF/" + OneShotRunner.class.getName() + ".xml")) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml, xml.contains("immediate=\"true\""));
            assertTrue(xml, xml.contains("interface=\"org.apache.felix.service.command.CommandProcessor\""));
            assertTrue("static and mandatory", !xml.contains("policy=\"dynamic\"") && !xml.contains("cardinality=\"0.."));
        }
    }
}

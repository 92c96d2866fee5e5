package storport.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import storport.api.Adapter;
import storport.api.sim.SimulatedAdapter;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.api.Topology;

/**
 * A simulated adapter's Config Admin properties (as any console may write them: numbers as Long,
 * Integer, Double or String, arrays, garbage) and its policy: either an adapter whose every
 * processor maps into its redirection range, that writes and reads back as itself, or
 * STOR_STATUS_INVALID_PARAMETER.
 */
class AdapterPropertiesFuzzTest {
    private static final String[] SPECS = {"node:1 core:4", "package:2 node:1 core:20 pu:2", "node:3 core:5 pu:2", "pu:1"};
    private static final String[] POLICIES = {"numa-spread", "numa-spread-legacy", "round-robin", "single", "explicit"};
    private static final String[] KEYS = {"name", "messages", "first", "policy", "node", "table"};

    @FuzzTest(maxDuration = "20s")
    void adapterProperties(FuzzedDataProvider data) {
        Topology topology = Topology.of(TopologySpec.parse(SPECS[data.consumeInt(0, SPECS.length - 1)]).cpus());
        Dictionary<String, Object> p = new Hashtable<>();
        for (String key : KEYS) {
            Object value = value(data, key);
            if (value != null) {
                p.put(key, value);
            }
        }
        SimulatedAdapter read;
        Adapter adapter;
        try {
            read = AdapterProperties.read(p);
            adapter = SimHostFactory.adapter(topology, read);
        } catch (StorPortException e) {
            assertEquals(StorStatus.INVALID_PARAMETER, e.status(), e.getMessage());
            return;
        }
        assertEquals(read, AdapterProperties.read(AdapterProperties.write(read)), "write, read");
        for (String key : new String[] {"messages", "first", "node", "table"}) {
            // numbers are ASCII, as the shell reads them: other scripts' digits are refused, not read
            Object v = p.get(key);
            assertTrue(!(v instanceof String text) || text.chars().allMatch(c -> c < 0x80 || Character.isWhitespace(c)),
                    key + " '" + v + "' was accepted");
        }
        assertEquals(read.messages(), adapter.messageCount());
        int first = read.firstRedirection();
        for (int proc = 0; proc < topology.processorCount(); proc++) {
            int m = adapter.messageOf(proc);
            assertTrue(m >= first && m < read.messages(), "processor " + proc + " -> message " + m);
            assertTrue(adapter.message(m).processors().contains(proc), "message " + m + " targets processor " + proc);
        }
    }

    /** A property value as a console might store it; null: absent. */
    private static Object value(FuzzedDataProvider data, String key) {
        switch (data.consumeInt(0, 7)) {
            case 0:
                return null;
            case 1:
                return data.consumeLong();
            case 2:
                return data.consumeInt(-4, 2100);
            case 3:
                return data.consumeDouble();
            case 4:
                return new String[] {data.consumeString(10)};
            case 5:
                return List.of(data.consumeInt(0, 3));
            case 6:
                // plausible text for the key
                return switch (key) {
                    case "name" -> "nvme" + data.consumeInt(0, 9);
                    case "policy" -> POLICIES[data.consumeInt(0, POLICIES.length - 1)];
                    case "table" -> data.consumeString(40);
                    default -> Integer.toString(data.consumeInt(-2, 2050));
                };
            default:
                return data.consumeString(30);
        }
    }
}

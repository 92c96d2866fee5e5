package storport.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static storport.sim.Expect.invalid;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.junit.Test;

import storport.api.sim.SimulatedAdapter;

public class AdapterPropertiesTest {

    @Test
    public void writeReadRoundTrip() {
        SimulatedAdapter a = new SimulatedAdapter("nvme1", 9, 2, "explicit", 1, List.of(2, 3, 8, 2));
        Dictionary<String, Object> p = AdapterProperties.write(a);
        assertEquals("nvme1", p.get("name"));
        assertEquals(9, p.get("messages"));
        assertEquals(2, p.get("first"));
        assertEquals("explicit", p.get("policy"));
        assertEquals(1, p.get("node"));
        assertEquals("2,3,8,2", p.get("table"));
        assertEquals(a, AdapterProperties.read(p));
    }

    @Test
    public void nullFirstIsWrittenAsMinusOne() {
        SimulatedAdapter a = new SimulatedAdapter("nvme0", 33, null, "numa-spread", 0, List.of());
        Dictionary<String, Object> p = AdapterProperties.write(a);
        assertEquals(-1, p.get("first"));
        assertEquals("", p.get("table"));
        SimulatedAdapter back = AdapterProperties.read(p);
        assertNull(back.first());
        assertEquals(a, back);
        assertEquals(1, back.firstRedirection());
    }

    @Test
    public void numbersAsLongOrString() {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("name", "sas0");
        p.put("messages", 16L);
        p.put("first", " 0 ");
        p.put("policy", "round-robin");
        p.put("node", "1");
        p.put("table", "");
        assertEquals(new SimulatedAdapter("sas0", 16, 0, "round-robin", 1, List.of()), AdapterProperties.read(p));
        p.put("messages", "12");
        p.put("first", -1L);
        p.put("node", 0L);
        assertEquals(new SimulatedAdapter("sas0", 12, null, "round-robin", 0, List.of()), AdapterProperties.read(p));
    }

    @Test
    public void absentValuesTakeTheDefaults() {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("name", "d");
        assertEquals(new SimulatedAdapter("d", 33, null, "numa-spread", 0, List.of()), AdapterProperties.read(p));
    }

    @Test
    public void badNumbersAreInvalid() {
        Dictionary<String, Object> p = AdapterProperties.write(new SimulatedAdapter("a", 4, null, "single", 0, List.of()));
        p.put("messages", "four");
        invalid(() -> AdapterProperties.read(p), "adapter a: messages 'four' is not a whole number");
        p.put("messages", 4);
        p.put("node", 1L << 32);
        invalid(() -> AdapterProperties.read(p), "node '4294967296' is not a whole number");
        p.put("node", 0);
        p.put("first", "");
        invalid(() -> AdapterProperties.read(p), "first '' is not a whole number");
    }

    @Test
    public void fractionalNumbersAreRefusedNotTruncated() {
        Dictionary<String, Object> p = AdapterProperties.write(new SimulatedAdapter("a", 4, null, "single", 0, List.of()));
        p.put("messages", 3.5d);
        invalid(() -> AdapterProperties.read(p), "messages '3.5' is not a whole number");
        p.put("messages", 8.0d);   // whole, just another Number type: fine
        assertEquals(8, AdapterProperties.read(p).messages());
        p.put("messages", 6);
        p.put("node", 1.25f);
        invalid(() -> AdapterProperties.read(p), "node '1.25' is not a whole number");
    }

    @Test
    public void tables() {
        assertEquals(List.of(1, 2, 3, 4), AdapterProperties.table("a", " 1, 2 3,,4 "));
        assertEquals(List.of(), AdapterProperties.table("a", ""));
        assertEquals(List.of(), AdapterProperties.table("a", "   "));
        invalid(() -> AdapterProperties.table("a", "1,x,3"), "adapter a: table entry 'x' is not a message number");
        Dictionary<String, Object> p = AdapterProperties.write(new SimulatedAdapter("a", 4, null, "explicit", 0, List.of()));
        p.put("table", "1;2");
        invalid(() -> AdapterProperties.read(p), "table entry '1;2'");
    }

    @Test
    public void nameIsRequired() {
        invalid(() -> AdapterProperties.read(new Hashtable<>()), "no name");
        Dictionary<String, Object> blank = new Hashtable<>();
        blank.put("name", "  ");
        invalid(() -> AdapterProperties.read(blank), "no name");
        assertNull(AdapterProperties.name(null));
        assertEquals("x", AdapterProperties.name(blank.get("name") == null ? null : new Hashtable<>(java.util.Map.of("name", "x"))));
    }

    /** Found by AdapterPropertiesFuzzTest: U+07C7 (NKo seven) was read as 7 messages. */
    @Test
    public void otherScriptsDigitsAreNotNumbers() {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("name", "a");
        p.put("messages", "\u07C7");
        invalid(() -> AdapterProperties.read(p), "adapter a: messages '\u07C7' is not a whole number");
        invalid(() -> AdapterProperties.table("a", "1, \u0662"), "adapter a: table entry '\u0662' is not a message number");
    }
}

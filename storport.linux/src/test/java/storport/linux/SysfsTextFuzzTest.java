package storport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The one-value sysfs formats ({@code numa_node}, {@code hwirq}, PCI {@code class}), handler lists
 * and the quoting of bad input in messages: a value or a {@link LinuxInputException}; numbers
 * printed the way the kernel prints them read back.
 */
class SysfsTextFuzzTest {
    private static final String PATH = "/sys/bus/pci/devices/0000:00:02.0/numa_node";

    @FuzzTest(maxDuration = "20s")
    void sysfsText(FuzzedDataProvider data) {
        int i = data.consumeInt();
        long u = data.consumeLong(0, 999_999_999_999_999_999L);
        int h = data.consumeInt();
        try {
            assertEquals(i, SysfsText.parseInt(PATH, i + "\n"));
            assertEquals(u, SysfsText.parseUnsigned(PATH, u + "\n"));
            assertEquals(h, SysfsText.parseHex(PATH, String.format("0x%06x\n", h)));
        } catch (LinuxInputException e) {
            throw new AssertionError("a kernel-written number was refused: " + e.getMessage(), e);
        }

        String text = data.consumeRemainingAsString();
        try {
            SysfsText.parseInt(PATH, text);
        } catch (LinuxInputException e) {
            checkError(e);
        }
        try {
            assertTrue(SysfsText.parseUnsigned(PATH, text) >= 0);
        } catch (LinuxInputException e) {
            checkError(e);
        }
        try {
            SysfsText.parseHex(PATH, text);
        } catch (LinuxInputException e) {
            checkError(e);
        }
        List<String> handlers = SysfsText.handlers(text);
        for (String name : handlers) {
            assertFalse(name.isEmpty());
            assertFalse(name.contains(","));
            assertEquals(name.strip(), name);
        }
        assertEquals(handlers, SysfsText.handlers(SysfsText.handlerName(text)));
        String quoted = SysfsText.quote(text);
        assertTrue(quoted.length() <= 6 * 60 + 5, "a quote stays short: " + quoted.length());
        assertTrue(quoted.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "a quote is printable ASCII: " + quoted);
    }

    private static void checkError(LinuxInputException e) {
        assertEquals(PATH, e.path());
        assertTrue(e.getMessage().startsWith(PATH + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "a message is one line: " + e.getMessage());
    }
}

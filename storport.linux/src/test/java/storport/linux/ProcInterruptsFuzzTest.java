package storport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@code /proc/interrupts} (the header, the file, one IRQ line): any text gives well-formed lines
 * or a {@link LinuxInputException} naming the file. A line written the way the kernel writes it
 * reads back field for field.
 */
class ProcInterruptsFuzzTest {
    private static final String PATH = ProcInterrupts.PATH;

    @FuzzTest(maxDuration = "20s")
    void procInterrupts(FuzzedDataProvider data) {
        // A line as show_interrupts() prints it must read back exactly.
        int irq = data.consumeInt(0, 999_999_999);
        int columns = data.consumeInt(1, 6);
        StringBuilder written = new StringBuilder(String.format("%4d:", irq));
        for (int c = 0; c < columns; c++) {
            written.append(String.format(" %10d", data.consumeLong(0, Long.MAX_VALUE)));
        }
        String chip = word(data, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-") + (data.consumeBoolean() ? "-0000:0" + data.consumeInt(0, 9) + ":02.0" : "");
        long hwirq = data.consumeLong(0, 999_999_999_999_999_999L);
        String handlers = word(data, "abcdefghijklmnopqrstuvwxyz0123456789.-") + (data.consumeBoolean() ? ", nvme0q1" : "");
        written.append("  ").append(chip).append(' ').append(hwirq).append("-edge      ").append(handlers);
        InterruptLine expected = new InterruptLine(irq, chip, hwirq, handlers);
        try {
            assertEquals(expected, InterruptLine.parse(PATH, written.toString(), columns), written.toString());
        } catch (LinuxInputException e) {
            throw new AssertionError("a kernel-written line was refused: " + e.getMessage(), e);
        }

        // Then any line, and any file.
        int wanted = data.consumeInt(0, 64);
        String line = data.consumeString(300);
        String file = data.consumeRemainingAsString();
        try {
            check(InterruptLine.parse(PATH, line, columns), -1);
        } catch (LinuxInputException e) {
            checkError(e);
        }
        try {
            assertTrue(InterruptLine.cpuColumns(PATH, line) >= 1);
        } catch (LinuxInputException e) {
            checkError(e);
        }
        ProcInterrupts parsed;
        try {
            parsed = ProcInterrupts.parse(file);
        } catch (LinuxInputException e) {
            checkError(e);
            return;
        }
        try {
            check(parsed.line(wanted), wanted);
        } catch (LinuxInputException e) {
            checkError(e);
        }
    }

    /** A non-empty word of the alphabet. */
    private static String word(FuzzedDataProvider data, String alphabet) {
        int n = data.consumeInt(1, 12);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(data.consumeInt(0, alphabet.length() - 1)));
        }
        // A chip or handler never starts with a digit run that reads as a hwirq, nor with '-'.
        return b.charAt(0) == '-' || Character.isDigit(b.charAt(0)) ? "x" + b : b.toString();
    }

    private static void check(InterruptLine l, int wanted) {
        assertTrue(l.irq() >= 0);
        if (wanted >= 0) {
            assertEquals(wanted, l.irq());
        }
        assertFalse(l.chip().isEmpty());
        assertTrue(l.chip().codePoints().noneMatch(Character::isWhitespace), l.chip());
        assertTrue(l.hwirq() >= -1);
        assertEquals(l.handlers().strip(), l.handlers());
    }

    private static void checkError(LinuxInputException e) {
        assertEquals(PATH, e.path());
        assertTrue(e.getMessage().startsWith(PATH + ": "), e.getMessage());
        assertFalse(e.reason().contains("\n"), "a message is one line: " + e.getMessage());
    }
}

package storport.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Cpulists ({@code cpu/online}, {@code nodeN/cpulist}, {@code smp_affinity_list}, blk-mq's
 * {@code cpu_list}): any text is either a set of CPUs, ascending, distinct and within
 * 0..{@link CpuList#MAX_CPU}, or a {@link LinuxInputException} naming the file. A set written the
 * way the kernel writes it (ranges, {@code ", "} or {@code ","}, a newline) reads back as that set.
 */
class CpuListFuzzTest {
    private static final String PATH = "/sys/devices/system/cpu/online";

    @FuzzTest(maxDuration = "20s")
    void cpuList(FuzzedDataProvider data) {
        // First half: a set of CPUs, written kernel-style by this test, must read back exactly.
        BitSet expected = new BitSet();
        int items = data.consumeInt(0, 8);
        for (int i = 0; i < items; i++) {
            int first = data.consumeInt(0, CpuList.MAX_CPU);
            int last = Math.min(CpuList.MAX_CPU, first + data.consumeInt(0, 300));
            expected.set(first, last + 1);
        }
        String written = format(expected, data.consumeBoolean() ? ", " : ",") + (data.consumeBoolean() ? "\n" : "");
        assertArrayEquals(expected.stream().toArray(), parse(written), "round trip of " + written);

        // Second half: whatever text is left.
        String text = data.consumeRemainingAsString();
        int[] cpus;
        try {
            cpus = CpuList.parse(PATH, text);
        } catch (LinuxInputException e) {
            assertEquals(PATH, e.path());
            assertTrue(e.getMessage().startsWith(PATH + ": "), e.getMessage());
            return;
        }
        for (int i = 0; i < cpus.length; i++) {
            assertTrue(cpus[i] >= 0 && cpus[i] <= CpuList.MAX_CPU, "CPU " + cpus[i] + " out of range in " + text);
            assertTrue(i == 0 || cpus[i - 1] < cpus[i], "not ascending and distinct: " + text);
        }
        // What was read, written again, reads the same.
        BitSet read = new BitSet();
        for (int c : cpus) {
            read.set(c);
        }
        assertArrayEquals(cpus, parse(format(read, ",")));
    }

    private static int[] parse(String text) {
        try {
            return CpuList.parse(PATH, text);
        } catch (LinuxInputException e) {
            throw new AssertionError("a valid list was refused: " + e.getMessage(), e);
        }
    }

    /** The kernel's %*pbl: ascending ranges {@code a-b} or single CPUs. */
    static String format(BitSet cpus, String separator) {
        StringBuilder b = new StringBuilder();
        for (int c = cpus.nextSetBit(0); c >= 0; ) {
            int end = cpus.nextClearBit(c) - 1;
            if (b.length() > 0) {
                b.append(separator);
            }
            b.append(c);
            if (end > c) {
                b.append('-').append(end);
            }
            c = cpus.nextSetBit(end + 1);
        }
        return b.toString();
    }
}

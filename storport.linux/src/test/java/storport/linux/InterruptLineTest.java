package storport.linux;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import org.junit.Test;

public class InterruptLineTest {
    private static final String P = "/proc/interrupts";

    @Test
    public void theHeaderCountsOnlineCpus() throws Exception {
        assertEquals(2, InterruptLine.cpuColumns(P, "           CPU0       CPU1       \n"));
        assertEquals(3, InterruptLine.cpuColumns(P, "  CPU0 CPU4 CPU5"));
    }

    @Test
    public void aPerDeviceMsixLine() throws Exception {
        assertEquals(new InterruptLine(36, "PCI-MSIX-0000:00:02.0", 1, "virtio1-req.0"),
                InterruptLine.parse(P, "  36:          0      53346 PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0", 2));
    }

    @Test
    public void aGlobalDomainLineWithSeveralHandlers() throws Exception {
        assertEquals(new InterruptLine(45, "IR-PCI-MSI", 524289, "nvme0q1"),
                InterruptLine.parse(P, "  45:  0  0  IR-PCI-MSI 524289-edge  nvme0q1", 2));
        assertEquals(new InterruptLine(44, "IR-PCI-MSI", 524288, "nvme0q0, nvme0q1"),
                InterruptLine.parse(P, " 44:   7   IR-PCI-MSI 524288-edge      nvme0q0, nvme0q1\n", 1));
    }

    @Test
    public void aLineWithoutHandlersOrHwirq() throws Exception {
        assertEquals(new InterruptLine(47, "PCI-MSIX-0000:01:00.0", 3, ""),
                InterruptLine.parse(P, " 47:   0   0  PCI-MSIX-0000:01:00.0    3-edge", 2));
        assertEquals(new InterruptLine(2, "XT-PIC", -1, "cascade"), InterruptLine.parse(P, "  2:  0  XT-PIC  cascade", 1));
    }

    @Test
    public void theLevelColumnOfSomeArchitecturesIsSkipped() throws Exception {
        assertEquals(new InterruptLine(27, "GICv3", 27, "arch_timer"),
                InterruptLine.parse(P, " 27:  5  6  GICv3  27 Level     arch_timer", 2));
    }

    @Test
    public void malformedLinesSayWhy() {
        assertEquals("line 'NMI:  0  0  Non-maskable interrupts' is not an interrupt line: it does not start with an IRQ number",
                failure("NMI:  0  0  Non-maskable interrupts", 2));
        assertEquals("line ' 36:  0  PCI-MSIX-0000:00:02.0 1-edge x' is not an interrupt line: it has fewer than 2 CPU counts",
                failure(" 36:  0  PCI-MSIX-0000:00:02.0 1-edge x", 2));
        assertEquals("line ' 36:  0  0' is not an interrupt line: it names no irq chip", failure(" 36:  0  0", 2));
        try {
            InterruptLine.cpuColumns(P, "\ufffd\ufffd");
            fail();
        } catch (LinuxInputException e) {
            assertEquals(P + ": header '\\ufffd\\ufffd' is not a list of CPU columns", e.getMessage());
        }
    }

    private static String failure(String line, int cpus) {
        try {
            InterruptLine.parse(P, line, cpus);
        } catch (LinuxInputException e) {
            assertEquals(P, e.path());
            return e.reason();
        }
        fail("accepted " + line);
        return null;
    }
}

package storport.linux;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Assume;
import org.junit.Test;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.MessageInterrupt;
import storport.api.Processor;

/**
 * The scanner on this machine (root {@code /}), checked against {@code /proc/interrupts} and the
 * blk-mq files read directly here, not through the classes under test.
 */
public class LiveHostTest {
    private static final Path SYS_BLOCK = Path.of("/sys/block");

    /** One IRQ line of /proc/interrupts, split the plain way. */
    private record Line(String chip, String hwirqColumn, String name) {
    }

    @Test
    public void virtioBlkAndNvmeAdaptersMatchProcInterruptsAndBlkMq() throws Exception {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        assume(linux, "not Linux");
        assume(Files.exists(Path.of("/sys/devices/system/cpu/online")), "no /sys/devices/system/cpu/online");

        Host host = new LinuxHostScanner().scan(new DirectorySource(Path.of("/")));
        Map<Integer, Line> interrupts = procInterrupts();
        System.out.println("live host: " + host.topology().processorCount() + " processors, " + host.topology().activeGroupCount()
                + " group(s), nodes " + host.topology().nodes() + ", adapters " + host.adapters());

        List<Adapter> checked = new ArrayList<>();
        for (Adapter a : host.adapters()) {
            if (a.driver().equals("nvme") || (a.driver().equals("virtio-pci") && !disks(a).isEmpty())) {
                checked.add(a);
            }
        }
        assume(!checked.isEmpty(), "no virtio-blk or NVMe adapter on this machine");

        for (Adapter a : checked) {
            print(host, a);
            assertNull(a.id() + " is unavailable: " + a.unavailableReason(), a.unavailableReason());
            assertTrue(a.id(), a.messageCount() > 0);
            for (MessageInterrupt m : a.messages()) {
                if (m.irq() < 0) {
                    continue;   // a table entry without a vector
                }
                Line line = interrupts.get(m.irq());
                assertNotNull("IRQ " + m.irq() + " of " + a.id() + " is in /proc/interrupts", line);
                assertEquals("name of IRQ " + m.irq(), line.name(), m.name());
                if (line.chip().endsWith("-" + a.id())) {
                    // Per-device MSI domain: the number before -edge is the MSI-X table index.
                    assertEquals("message id of IRQ " + m.irq() + " (" + line.hwirqColumn() + ")",
                            line.hwirqColumn().substring(0, line.hwirqColumn().indexOf('-')), String.valueOf(m.messageId()));
                }
            }
            for (String disk : disks(a)) {
                checkQueueMap(host, a, disk);
            }
        }
    }

    /**
     * virtio-blk: every online CPU maps to the message of {@code virtioN-req.<hctx>}, hctx from
     * {@code mq/*\/cpu_list}. NVMe with more than one vector: {@code nvmeXq<hctx+1>}.
     */
    private static void checkQueueMap(Host host, Adapter a, String disk) throws IOException {
        String target = Files.readSymbolicLink(SYS_BLOCK.resolve(disk)).toString();
        String prefix = null;
        int offset = 0;
        Matcher virtio = Pattern.compile("/(virtio[0-9]+)/block/").matcher(target);
        Matcher nvme = Pattern.compile("/nvme/(nvme[0-9]+)/").matcher(target);
        if (a.driver().equals("virtio-pci") && virtio.find()) {
            prefix = virtio.group(1) + "-req.";
        } else if (a.driver().equals("nvme") && nvme.find() && a.messageCount() > 1) {
            prefix = nvme.group(1) + "q";
            offset = 1;
        }
        Path mq = SYS_BLOCK.resolve(disk).resolve("mq");
        boolean virtioBlk = a.driver().equals("virtio-pci");
        if (virtioBlk) {
            assertNotNull(disk + " sits below a virtioN device: " + target, prefix);
            assertTrue(disk + " is a blk-mq device", Files.isDirectory(mq));
        }
        if (prefix == null || !Files.isDirectory(mq)) {
            System.out.println("  " + disk + ": no queue map to check");
            return;
        }
        Map<Integer, Integer> hctxOfCpu = new HashMap<>();
        List<Integer> hctxs;
        try (var queues = Files.list(mq)) {
            hctxs = queues.map(q -> Integer.parseInt(q.getFileName().toString())).sorted().toList();
        }
        for (int hctx : hctxs) {
            // Default queues come first; a CPU also listed by a later read or poll queue submits ordinary I/O on the first.
            for (String cpu : Files.readString(mq.resolve(hctx + "/cpu_list")).strip().split(",")) {
                hctxOfCpu.putIfAbsent(Integer.parseInt(cpu.strip()), hctx);
            }
        }
        for (Processor p : host.topology().processors()) {
            Integer hctx = hctxOfCpu.get(p.cpu());
            assertNotNull("CPU " + p.cpu() + " is in a hardware queue of " + disk, hctx);
            String handler = prefix + (hctx + offset);
            int expected = -1;
            for (MessageInterrupt m : a.messages()) {
                if (Arrays.stream(m.name().split(",")).map(String::strip).anyMatch(handler::equals)) {
                    expected = m.messageId();
                    break;
                }
            }
            if (expected < 0) {
                assertTrue(disk + ": virtio-blk names a vector " + handler, !virtioBlk);
                System.out.println("  " + disk + ": no vector named " + handler + " (a poll queue?)");
                continue;
            }
            assertEquals(disk + ": processor " + p.index() + " (CPU " + p.cpu() + ", hctx " + hctx + ", " + handler + ")", expected,
                    a.messageOf(p.index()));
        }
        System.out.println("  " + disk + ": every processor maps to the vector of its hctx (" + prefix + "<hctx" + (offset > 0 ? "+1" : "")
                + ">) - checked");
    }

    /** The adapter's aliases that are block devices. */
    private static List<String> disks(Adapter a) {
        return a.aliases().stream().filter(n -> Files.isSymbolicLink(SYS_BLOCK.resolve(n))).toList();
    }

    /** /proc/interrupts parsed here: IRQ, one count per CPU of the header, chip, hwirq-flow, then the handler names. */
    private static Map<Integer, Line> procInterrupts() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/interrupts"));
        int cpus = lines.get(0).strip().split("\\s+").length;
        Map<Integer, Line> out = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] t = l.strip().split("\\s+");
            if (!t[0].matches("[0-9]+:") || t.length < cpus + 3) {
                continue;
            }
            String name = String.join(" ", Arrays.asList(t).subList(cpus + 3, t.length));
            out.put(Integer.parseInt(t[0].substring(0, t[0].length() - 1)), new Line(t[cpus + 1], t[cpus + 2], name));
        }
        return out;
    }

    private static void print(Host host, Adapter a) {
        System.out.println("adapter " + a.id() + " aliases " + a.aliases() + " driver " + a.driver() + " node " + a.node() + " policy "
                + a.policy() + " messages " + a.messageCount() + " redirection " + a.firstRedirectionMessage() + ".."
                + a.lastRedirectionMessage());
        for (MessageInterrupt m : a.messages()) {
            System.out.println("  message " + m.messageId() + " irq " + m.irq() + " name '" + m.name() + "' targets " + m.targets()
                    + " processors " + m.processors() + " effective " + m.effective());
        }
        StringBuilder map = new StringBuilder("  map (processor/cpu -> message):");
        for (Processor p : host.topology().processors()) {
            map.append(' ').append(p.index()).append('/').append(p.cpu()).append("->").append(a.messageOf(p.index()));
        }
        System.out.println(map);
    }

    private static void assume(boolean holds, String otherwise) {
        if (!holds) {
            System.out.println("LiveHostTest skipped: " + otherwise);
        }
        Assume.assumeTrue(otherwise, holds);
    }
}

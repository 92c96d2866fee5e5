package storport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.StorPortException;

/**
 * A whole host scan over a fuzzed tree: a real-looking host (two NUMA nodes; virtio-blk on a
 * per-device MSI-X domain, SAS on the global PCI/MSI domain, NVMe of a kernel before 4.17 read
 * from /proc/interrupts) whose files and directory listings the fuzzer replaces. A scan gives a
 * Host or a {@link LinuxInputException}; in the Host every adapter is available with a valid map,
 * or unavailable with a reason that is about the input, never a bug of the reader.
 */
class LinuxHostScannerFuzzTest {
    private static final String NVME_BDF = "0000:01:00.0";
    private static final String SAS_BDF = "0000:02:00.0";
    private static final String INTERRUPTS = ""
            + "            CPU0       CPU1       CPU2       CPU3       \n"
            + "   0:         45          0          0          0   IO-APIC   2-edge      timer\n"
            + "  35:          0          0          0          0   PCI-MSI 32768-edge      virtio1-config\n"
            + "  36:          0       5334          0          0   PCI-MSI 32769-edge      virtio1-req.0\n"
            + "  60:          0          0          0          0   IR-PCI-MSI 1048576-edge      mpt3sas0-msix0\n"
            + "  61:          0          0          0          0   IR-PCI-MSI 1048577-edge      mpt3sas0-msix1\n"
            + "  45:          0          0          0          0   IR-PCI-MSI 524288-edge      nvme0q0\n"
            + "  46:         12          0          0          0   IR-PCI-MSI 524289-edge      nvme0q1\n"
            + "  47:          0         13          0          0   IR-PCI-MSI 524290-edge      nvme0q2\n"
            + " NMI:          0          0          0          0   Non-maskable interrupts\n";

    @TempDir
    Path root;

    /** Two hosts: a current kernel's (index 0) and one before 4.17, which has only /proc/interrupts (index 1). */
    private final List<Tree> trees = new ArrayList<>();

    /** A host and what a clean scan of it reads and lists, in a fixed order, for the fuzzer to pick from. */
    private record Tree(SysfsSource source, List<String> files, List<String> folders) {
    }

    @BeforeEach
    void hosts() throws IOException {
        trees.add(tree(root.resolve("current"), false));
        trees.add(tree(root.resolve("old"), true));
    }

    private static Tree tree(Path dir, boolean oldKernel) throws IOException {
        FixtureTree t = new FixtureTree(dir);
        t.online("0-3").nodes("0-1").node(0, "0-1").node(1, "2-3");
        for (int cpu = 0; cpu < 4; cpu++) {
            t.cpu(cpu, cpu / 2, cpu % 2);
        }
        FixtureTree.Pci vda = t.pci("0000:00:02.0", "0x010000", "0x1af4", "0x1001", 0, "virtio-pci");
        t.virtioDisk(vda, "virtio1", "vda", "0, 1, 2, 3");
        FixtureTree.Pci sas = t.pci(SAS_BDF, "0x010700", "0x1000", "0x0097", 1, "mpt3sas");
        FixtureTree.Pci nvme = t.nvmePci(NVME_BDF, 1);
        t.nvmeDisk(nvme, "nvme0", "nvme0n1", "0, 1", "2, 3");
        if (oldKernel) {
            t.oldVector(vda, 35, "0-3").oldVector(vda, 36, "0-3").oldVector(sas, 60, "0-1").oldVector(sas, 61, "2-3");
            t.oldVector(nvme, 47, "2-3").oldVector(nvme, 45, "0-3").oldVector(nvme, 46, "0-1");
            t.procInterrupts(INTERRUPTS);
        } else {
            t.msix(vda, 35, 0, "virtio1-config", "0-3", "1").msix(vda, 36, 1, "virtio1-req.0", "0-3", "1");
            long devId = 2 << 8;
            t.vector(sas, 60, devId << 11, "IR-PCI-MSI", "mpt3sas0-msix0", "0-1", "0");
            t.vector(sas, 61, devId << 11 | 1, "IR-PCI-MSI", "mpt3sas0-msix1", "2-3", null);
            t.msix(nvme, 45, 0, "nvme0q0", "0-3", null).msix(nvme, 46, 1, "nvme0q1", "0-1", "0").msix(nvme, 47, 2, "nvme0q2", "2-3", "3");
        }
        SysfsSource source = new Memo(new DirectorySource(dir));
        Recorder recorder = new Recorder(source);
        Host clean;
        try {
            clean = new LinuxHostScanner(1).scan(recorder);
        } catch (LinuxInputException e) {
            throw new AssertionError("the unfuzzed host scans: " + e.getMessage(), e);
        }
        assertEquals(3, clean.adapters().size());
        for (Adapter a : clean.adapters()) {
            assertEquals(null, a.unavailableReason(), "the unfuzzed host is healthy");
        }
        return new Tree(source, List.copyOf(recorder.files), List.copyOf(recorder.folders));
    }

    @FuzzTest(maxDuration = "20s")
    void scan(FuzzedDataProvider data) {
        Tree tree = trees.get(data.consumeInt(0, 1));
        List<String> files = tree.files();
        List<String> folders = tree.folders();
        Map<String, String> contents = new HashMap<>();
        Map<String, List<String>> listings = new HashMap<>();
        int changes = data.consumeInt(1, 4);
        for (int i = 0; i < changes; i++) {
            if (data.consumeBoolean()) {
                contents.put(files.get(data.consumeInt(0, files.size() - 1)), data.consumeString(200));
            } else {
                String folder = folders.get(data.consumeInt(0, folders.size() - 1));
                // names as a directory can hold them: no '/', no NUL, not empty; sorted as list() promises
                TreeSet<String> names = new TreeSet<>();
                for (String n : data.consumeString(100).split("[/\u0000]")) {
                    if (!n.isEmpty()) {
                        names.add(n);
                    }
                }
                listings.put(folder, List.copyOf(names));
            }
        }
        Host host;
        try {
            host = new LinuxHostScanner(1).scan(new Fuzzed(tree.source(), contents, listings));
        } catch (LinuxInputException e) {
            assertTrue(e.getMessage().startsWith("/"), "the message names a file: " + e.getMessage());
            return;
        }
        int n = host.topology().processorCount();
        for (Adapter a : host.adapters()) {
            String reason = a.unavailableReason();
            if (reason != null) {
                // "<file>: <reason>"; the fuzzer may well put the marker into a file, which a message then quotes
                int colon = reason.indexOf(": ");
                assertFalse(colon >= 0 && reason.startsWith(AdapterReader.INTERNAL_ERROR, colon + 2), reason);
                assertEquals(0, a.messageCount());
                continue;
            }
            for (int p = 0; p < n; p++) {
                int m = a.messageOf(p);
                assertTrue(m >= -1 && m < a.messageCount(), a.id() + ": processor " + p + " -> " + m);
                try {
                    assertEquals(m, a.messageInterruptId(p));
                } catch (StorPortException unserved) {
                    assertEquals(-1, m);
                }
            }
            for (int id = 0; id < a.messageCount(); id++) {
                assertNotNull(a.message(id));
            }
        }
    }

    /** The tree with some files and listings replaced. */
    private record Fuzzed(SysfsSource tree, Map<String, String> contents, Map<String, List<String>> listings) implements SysfsSource {
        @Override
        public String read(String path) throws IOException {
            String c = contents.get(path);
            return c != null ? c : tree.read(path);
        }

        @Override
        public List<String> list(String path) throws IOException {
            List<String> l = listings.get(path);
            return l != null ? l : tree.list(path);
        }

        @Override
        public String readLink(String path) throws IOException {
            return tree.readLink(path);
        }

        @Override
        public boolean exists(String path) {
            return contents.containsKey(path) || listings.containsKey(path) || tree.exists(path);
        }

        @Override
        public boolean isDirectory(String path) {
            return listings.containsKey(path) || tree.isDirectory(path);
        }

        @Override
        public String describe() {
            return "fuzzed " + tree.describe();
        }
    }

    /** Remembers the paths a scan read and listed successfully. */
    private static final class Recorder implements SysfsSource {
        private final SysfsSource tree;
        final TreeSet<String> files = new TreeSet<>();
        final TreeSet<String> folders = new TreeSet<>();

        Recorder(SysfsSource tree) {
            this.tree = tree;
        }

        @Override
        public String read(String path) throws IOException {
            String c = tree.read(path);
            files.add(path);
            return c;
        }

        @Override
        public List<String> list(String path) throws IOException {
            List<String> l = tree.list(path);
            folders.add(path);
            return l;
        }

        @Override
        public String readLink(String path) throws IOException {
            return tree.readLink(path);
        }

        @Override
        public boolean exists(String path) {
            return tree.exists(path);
        }

        @Override
        public boolean isDirectory(String path) {
            return tree.isDirectory(path);
        }

        @Override
        public String describe() {
            return tree.describe();
        }
    }

    /** The tree's answers kept in memory: a fuzz run asks the same few hundred questions millions of times. */
    private static final class Memo implements SysfsSource {
        private final SysfsSource tree;
        private final Map<String, Object> reads = new HashMap<>();
        private final Map<String, Object> lists = new HashMap<>();
        private final Map<String, Object> links = new HashMap<>();
        private final Map<String, Boolean> exists = new HashMap<>();
        private final Map<String, Boolean> folders = new HashMap<>();

        Memo(SysfsSource tree) {
            this.tree = tree;
        }

        @Override
        public String read(String path) throws IOException {
            return (String) answer(reads.computeIfAbsent(path, p -> call(() -> tree.read(p))));
        }

        @SuppressWarnings("unchecked")
        @Override
        public List<String> list(String path) throws IOException {
            return (List<String>) answer(lists.computeIfAbsent(path, p -> call(() -> tree.list(p))));
        }

        @Override
        public String readLink(String path) throws IOException {
            return (String) answer(links.computeIfAbsent(path, p -> call(() -> tree.readLink(p))));
        }

        @Override
        public boolean exists(String path) {
            return exists.computeIfAbsent(path, tree::exists);
        }

        @Override
        public boolean isDirectory(String path) {
            return folders.computeIfAbsent(path, tree::isDirectory);
        }

        @Override
        public String describe() {
            return tree.describe();
        }

        private interface Io {
            Object get() throws IOException;
        }

        private static Object call(Io io) {
            try {
                return io.get();
            } catch (IOException e) {
                return e;
            }
        }

        private static Object answer(Object o) throws IOException {
            if (o instanceof IOException e) {
                throw e;
            }
            return o;
        }
    }
}

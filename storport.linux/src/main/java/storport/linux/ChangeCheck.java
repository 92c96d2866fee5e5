package storport.linux;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The fingerprint of {@link LinuxHostScanner#fingerprint}: a hash over every input the answers
 * depend on, cheap enough to compute every few seconds on a host with thousands of vectors.
 *
 * <p>Every check reads the structure: online CPUs and nodes, the PCI device list, each storage
 * function's vectors (the {@code msi_irqs} listing), block devices, controllers and queue listings,
 * and the affinity files of the vectors userspace may move (irqbalance, an administrator). The
 * kernel fixes the affinity of managed vectors, those it spread over the CPUs for the blk-mq
 * queues, for as long as the device keeps them, and the queues' CPU lists with them: these files
 * (two per I/O vector and one per queue: tens of thousands on a large host) are remembered, per
 * source, and re-read in turns, at most {@link #STABLE_READS_PER_CHECK} per check. A change there
 * without a change in the structure (only a CPU going offline and back between two checks moves an
 * effective affinity so) is seen within a round of checks; a host with up to that many such files
 * has them all re-read at every check.
 *
 * <p>A vector counts as managed when its {@code smp_affinity_list} is exactly the CPU list of one of
 * its device's blk-mq queues, as DESIGN section 6 says of managed vectors; the admin or config
 * vector (all CPUs) and vectors of drivers without blk-mq queues are read at every check.
 */
final class ChangeCheck {
    /** How many remembered files one check re-reads at most. */
    static final int STABLE_READS_PER_CHECK = 1024;

    /** What is remembered about one source: keyed weakly, so a source let go is forgotten. */
    private final Map<SysfsSource, Memory> memories = Collections.synchronizedMap(new WeakHashMap<>());
    private final int budget;

    ChangeCheck() {
        this(STABLE_READS_PER_CHECK);
    }

    /** @param budget how many remembered files one check re-reads at most */
    ChangeCheck(int budget) {
        this.budget = budget;
    }

    String fingerprint(SysfsSource host) throws LinuxInputException {
        Memory memory = memories.computeIfAbsent(host, h -> new Memory());
        synchronized (memory) {
            return fingerprint(host.session(), memory);
        }
    }

    private String fingerprint(SysfsSource source, Memory memory) throws LinuxInputException {
        Digest d = new Digest();
        d.add(TopologyReader.ONLINE, SysfsFiles.read(source, TopologyReader.ONLINE));
        d.file(source, TopologyReader.NODES_ONLINE);
        if (source.exists(StorageFunction.DEVICES)) {
            d.add(StorageFunction.DEVICES, String.join(" ", SysfsFiles.list(source, StorageFunction.DEVICES)));
        }
        boolean managedVectors = source.exists(VectorReader.KERNEL_IRQ);
        List<StorageFunction> functions = StorageFunction.find(source);
        List<Learned> learned = new ArrayList<>(functions.size());
        Map<String, Learned> kept = new HashMap<>();
        for (StorageFunction f : functions) {
            Structure s = Structure.of(source, f);
            Learned l = memory.learned.get(f.bdf);
            if (l == null || !l.structure.equals(s)) {
                l = Learned.learn(source, s, managedVectors);
            }
            learned.add(l);
            kept.put(f.bdf, l);
        }
        memory.learned.clear();
        memory.learned.putAll(kept);
        recheck(source, memory, learned, managedVectors);
        // The same value whichever files are remembered: every file's content, remembered or read now.
        for (Learned l : learned) {
            Structure s = l.structure;
            d.add(s.link, s.what);
            d.add(s.link + "/msi_irqs", Arrays.toString(s.irqs));
            for (String link : s.links) {
                d.add(link, "");
            }
            for (int i = 0; i < l.files.size(); i++) {
                String remembered = l.remembered.get(i);
                d.add(l.files.get(i), remembered != null ? remembered : Learned.content(source, l.files.get(i)));
            }
        }
        return d.hex();
    }

    /**
     * Re-reads the next remembered files, up to the budget, going round all functions from where the
     * last check stopped; a function with a file that changed is learned again.
     */
    private void recheck(SysfsSource source, Memory memory, List<Learned> learned, boolean managedVectors) {
        int total = 0;
        int start = 0;
        for (int i = 0; i < learned.size(); i++) {
            total += learned.get(i).stable.length;
            if (learned.get(i).structure.bdf.compareTo(memory.nextBdf) < 0) {
                start = i + 1;
            }
        }
        int reads = Math.min(total, budget);
        if (reads == 0) {
            return;
        }
        int fi = start % learned.size();
        int at = learned.get(fi).structure.bdf.equals(memory.nextBdf) ? memory.nextFile : 0;
        int idle = 0;
        for (int done = 0; done < reads && idle <= learned.size();) {
            Learned l = learned.get(fi);
            if (at >= l.stable.length) {
                fi = (fi + 1) % learned.size();
                at = 0;
                idle++;
                continue;
            }
            idle = 0;
            int i = l.stable[at];
            done++;
            if (!Learned.content(source, l.files.get(i)).equals(l.remembered.get(i))) {
                Learned fresh = Learned.learn(source, l.structure, managedVectors);
                learned.set(fi, fresh);
                memory.learned.put(fresh.structure.bdf, fresh);
                done += fresh.files.size();
                fi = (fi + 1) % learned.size();
                at = 0;
                continue;
            }
            at++;
        }
        memory.nextBdf = learned.get(fi).structure.bdf;
        memory.nextFile = at;
    }

    private static final class Memory {
        final Map<String, Learned> learned = new HashMap<>();
        String nextBdf = "";
        int nextFile;
    }

    /**
     * What a check reads of a function every time, besides the vectors' and queues' files: its link,
     * where it points, its IRQs, and its block devices, controllers and queue listings.
     */
    private record Structure(String bdf, String link, String what, int[] irqs, List<String> links, List<String> queues) {
        static Structure of(SysfsSource source, StorageFunction f) {
            List<String> links = new ArrayList<>();
            List<String> queues = new ArrayList<>();
            for (DeviceLink disk : f.disks) {
                links.add(disk.link() + " -> " + disk.target());
                String mq = disk.link() + "/mq";
                if (source.exists(mq)) {
                    try {
                        for (String hctx : SysfsFiles.list(source, mq)) {
                            queues.add(mq + "/" + hctx + "/cpu_list");
                        }
                    } catch (LinuxInputException e) {
                        links.add(mq + " error " + e.getMessage());
                    }
                }
            }
            for (DeviceLink c : f.controllers) {
                links.add(c.link() + " -> " + c.target());
            }
            links.addAll(queues);
            return new Structure(f.bdf, f.link, f.problem == null ? f.devicePath : "problem " + f.problem, f.irqs, links, queues);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Structure s && s.bdf.equals(bdf) && s.what.equals(what) && Arrays.equals(s.irqs, irqs)
                    && s.links.equals(links);
        }

        @Override
        public int hashCode() {
            return bdf.hashCode();
        }
    }

    /**
     * A function's queue and vector files in a fixed order, with the content of the ones the kernel
     * keeps (remembered, re-read in turns) and null for the ones read at every check.
     */
    private static final class Learned {
        final Structure structure;
        final List<String> files = new ArrayList<>();
        final List<String> remembered = new ArrayList<>();
        /** Indexes of the remembered files. */
        int[] stable;

        private Learned(Structure structure) {
            this.structure = structure;
        }

        static Learned learn(SysfsSource source, Structure s, boolean managedVectors) {
            Learned l = new Learned(s);
            Set<String> queueCpus = new HashSet<>();
            for (String cpuList : s.queues) {
                String content = content(source, cpuList);
                l.add(cpuList, content);
                queueCpus.add(cpus(cpuList, content));
            }
            for (int irq : s.irqs) {
                String requested = "/proc/irq/" + irq + "/smp_affinity_list";
                String effective = "/proc/irq/" + irq + "/effective_affinity_list";
                String content = content(source, requested);
                boolean managed = managedVectors && queueCpus.contains(cpus(requested, content));
                l.add(requested, managed ? content : null);
                l.add(effective, managed ? content(source, effective) : null);
            }
            l.stable = java.util.stream.IntStream.range(0, l.files.size()).filter(i -> l.remembered.get(i) != null).toArray();
            return l;
        }

        private void add(String path, String content) {
            files.add(path);
            remembered.add(content);
        }

        /** A file's content, or that it is missing or unreadable: appearing and vanishing are changes too. */
        static String content(SysfsSource source, String path) {
            try {
                return SysfsFiles.read(source, path);
            } catch (LinuxInputException e) {
                return "\0error " + e.reason();
            }
        }

        /** A CPU list in one spelling ({@code 0-3} and {@code 0, 1, 2, 3} alike); a list that does not parse, as written. */
        private static String cpus(String path, String text) {
            try {
                return Arrays.toString(CpuList.parse(path, text));
            } catch (LinuxInputException e) {
                return "\0" + text;
            }
        }
    }

    /** A SHA-256 over named values: the fingerprint stays short however large the host. */
    static final class Digest {
        private final MessageDigest sha;

        Digest() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        void add(String name, String value) {
            sha.update((name + "\0" + value + "\0").getBytes(StandardCharsets.UTF_8));
        }

        void file(SysfsSource source, String path) {
            add(path, Learned.content(source, path));
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}

package storport.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.stream.IntStream;

/**
 * The fingerprint of {@link LinuxHostScanner#fingerprint}: a hash over every input the answers
 * depend on, cheap enough to compute every few seconds on a host with thousands of vectors.
 *
 * <p>Every check reads the structure: online CPUs and nodes, the PCI device list, each storage
 * function's vectors (the {@code msi_irqs} listing), block devices and controllers, and the
 * affinity files of the vectors userspace may move (irqbalance, an administrator). The kernel fixes
 * the affinity of managed vectors, those it spread over the CPUs for the blk-mq queues, for as long
 * as the device keeps them, and the queues (their listing and CPU lists) with them: these files
 * (two per I/O vector and one per queue: tens of thousands on a large host) are remembered, per
 * source, and re-read in turns, at most {@link #STABLE_READS_PER_CHECK} per check. A change there
 * without a change in the structure (only a CPU going offline and back between two checks moves an
 * effective affinity so) is seen within a round of checks (about 50 on 4,096 CPUs with 64 NVMe
 * controllers); a host with up to that many such files has them all re-read at every check.
 *
 * <p>The value does not depend on what is remembered: it sums a 64-bit hash of every file's path
 * and content per function, remembered or read now, so a check that remembers nothing (the first
 * one on a source) gives the same value.
 *
 * <p>A vector counts as managed when its {@code smp_affinity_list} is exactly the CPU list of one of
 * its device's blk-mq queues, as DESIGN section 6 says of managed vectors; the admin or config
 * vector (all CPUs) and vectors of drivers without blk-mq queues are read at every check.
 */
final class ChangeCheck {
    /** How many remembered files one check re-reads at most. */
    static final int STABLE_READS_PER_CHECK = 512;

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
        d.file(source, IsolationReader.ISOLATED);   // cpuset partitions change it at run time; nohz_full and the command line do not
        if (source.exists(StorageFunction.DEVICES)) {
            d.add(StorageFunction.DEVICES, String.join(" ", SysfsFiles.list(source, StorageFunction.DEVICES)));
        }
        boolean managedVectors = source.exists(VectorReader.KERNEL_IRQ);
        List<StorageFunction> functions = StorageFunction.find(source);
        List<Learned> learned = new ArrayList<>(functions.size());
        Map<String, Learned> kept = new HashMap<>();
        for (StorageFunction f : functions) {
            Structure s = Structure.of(f);
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
        // The same value whichever files are remembered: a sum over every file's (path, content), remembered or read now.
        for (Learned l : learned) {
            Structure s = l.structure;
            d.add(s.link, s.what);
            d.add(s.link + "/msi_irqs", Arrays.toString(s.irqs));
            for (String link : s.links) {
                d.add(link, "");
            }
            long sum = l.rememberedSum;
            for (int i : l.readEachTime) {
                sum += fileHash(l.files.get(i), l.content(source, i));
            }
            d.add(s.link + " files", Long.toHexString(sum));
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
            if (!l.content(source, i).equals(l.remembered.get(i))) {
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
     * where it points, its IRQs, and its block devices and controllers.
     *
     * @param mqs each disk's {@code mq} folder ({@code /sys/block/nvme0n1/mq})
     */
    private record Structure(String bdf, String link, String what, int[] irqs, List<String> links, List<String> mqs) {
        static Structure of(StorageFunction f) {
            List<String> links = new ArrayList<>();
            List<String> mqs = new ArrayList<>();
            for (DeviceLink disk : f.disks) {
                links.add(disk.link() + " -> " + disk.target());
                mqs.add(disk.link() + "/mq");
            }
            for (DeviceLink c : f.controllers) {
                links.add(c.link() + " -> " + c.target());
            }
            return new Structure(f.bdf, f.link, f.problem == null ? f.devicePath : "problem " + f.problem, f.irqs, links, mqs);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Structure s && s.bdf.equals(bdf) && s.what.equals(what) && Arrays.equals(s.irqs, irqs)
                    && s.links.equals(links) && s.mqs.equals(mqs);
        }

        @Override
        public int hashCode() {
            return bdf.hashCode();
        }
    }

    /**
     * A function's queue listings, queue CPU lists and vector files in a fixed order, with the
     * content of the ones the kernel keeps (remembered, re-read in turns) and null for the ones read
     * at every check.
     */
    private static final class Learned {
        final Structure structure;
        final List<String> files = new ArrayList<>();
        final List<String> remembered = new ArrayList<>();
        /** Which of {@link #files} are folders whose listing counts. */
        final BitSet listings = new BitSet();
        /** Indexes of the remembered files, and of the others. */
        int[] stable;
        int[] readEachTime;
        /** The sum of {@link ChangeCheck#fileHash} over the remembered files. */
        long rememberedSum;

        private Learned(Structure structure) {
            this.structure = structure;
        }

        static Learned learn(SysfsSource source, Structure s, boolean managedVectors) {
            Learned l = new Learned(s);
            Set<String> queueCpus = new HashSet<>();
            for (String mq : s.mqs) {
                l.listings.set(l.files.size());
                l.add(mq, listing(source, mq));
                List<String> queues;
                try {
                    queues = source.list(mq);
                } catch (IOException notBlkMq) {
                    continue;
                }
                for (String hctx : queues) {
                    String cpuList = mq + "/" + hctx + "/cpu_list";
                    String content = content(source, cpuList);
                    l.add(cpuList, content);
                    queueCpus.add(cpus(cpuList, content));
                }
            }
            for (int irq : s.irqs) {
                String requested = "/proc/irq/" + irq + "/smp_affinity_list";
                String effective = "/proc/irq/" + irq + "/effective_affinity_list";
                String content = content(source, requested);
                boolean managed = managedVectors && queueCpus.contains(cpus(requested, content));
                l.add(requested, managed ? content : null);
                l.add(effective, managed ? content(source, effective) : null);
            }
            l.stable = IntStream.range(0, l.files.size()).filter(i -> l.remembered.get(i) != null).toArray();
            l.readEachTime = IntStream.range(0, l.files.size()).filter(i -> l.remembered.get(i) == null).toArray();
            for (int i : l.stable) {
                l.rememberedSum += fileHash(l.files.get(i), l.remembered.get(i));
            }
            return l;
        }

        private void add(String path, String content) {
            files.add(path);
            remembered.add(content);
        }

        /** What item {@code i} holds now: a file's content, or a folder's listing. */
        String content(SysfsSource source, int i) {
            return listings.get(i) ? listing(source, files.get(i)) : content(source, files.get(i));
        }

        /** A file's content, or that it is missing or unreadable: appearing and vanishing are changes too. */
        static String content(SysfsSource source, String path) {
            try {
                return SysfsFiles.read(source, path);
            } catch (LinuxInputException e) {
                return "\0error " + e.reason();
            }
        }

        /** A folder's entries, or that it is missing or unreadable. */
        static String listing(SysfsSource source, String path) {
            try {
                return String.join(" ", SysfsFiles.list(source, path));
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

    /**
     * A 64-bit hash of a file's path and content (FNV-1a, then mixed): summed over a function's
     * files it gives the same value whichever of them were remembered and whichever read now.
     */
    static long fileHash(String path, String content) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < path.length(); i++) {
            h = (h ^ path.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ 0xFFFF) * 0x100000001b3L;
        for (int i = 0; i < content.length(); i++) {
            h = (h ^ content.charAt(i)) * 0x100000001b3L;
        }
        // a final mix (SplitMix64), so that sums of hashes of similar files do not cancel
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
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
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(value.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }

        void file(SysfsSource source, String path) {
            add(path, Learned.content(source, path));
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}

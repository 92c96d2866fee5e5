package storport.linux;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.Topology;

/**
 * Reads a Linux host (live or captured, through a {@link SysfsSource}) into one immutable storport
 * {@link Host}: the online CPUs in processor groups, and every storage adapter with its MSI/MSI-X
 * messages and the processor -> message map of the lookup rule. Safe to share: its only state is
 * what {@link #fingerprint} remembers per source.
 *
 * <p>Reading a large host is opening tens of thousands of small files, each a few system calls: a
 * scan reads its adapters on several threads ({@link #LinuxHostScanner(int)}), and finds the PCI
 * devices while it reads the CPU topology.
 */
public final class LinuxHostScanner {
    /** The backend name the snapshot carries. */
    public static final String BACKEND = "native";
    /** At most this many threads read one scan's adapters by default. */
    public static final int DEFAULT_READERS = 4;

    private final int readers;
    private final ChangeCheck changeCheck = new ChangeCheck();

    /** A scanner reading on up to min({@value #DEFAULT_READERS}, available processors) threads. */
    public LinuxHostScanner() {
        this(Math.min(DEFAULT_READERS, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param readers how many threads read one scan (the calling thread is one of them); 1 reads
     *                everything on the calling thread
     */
    public LinuxHostScanner(int readers) {
        if (readers < 1) {
            throw new IllegalArgumentException("readers must be at least 1: " + readers);
        }
        this.readers = readers;
    }

    /**
     * A consistent snapshot of the host. Adapters whose files vanish or are malformed are in it as
     * unavailable adapters, with the file and the problem as the reason.
     *
     * @throws LinuxInputException when the CPU topology (online CPUs, their package/core, the NUMA
     *                             nodes) or the PCI device list cannot be read: without them no
     *                             answer would be right
     */
    public Host scan(SysfsSource host) throws LinuxInputException {
        SysfsSource source = host.session();
        if (readers == 1) {
            Topology topology = TopologyReader.read(source);
            List<StorageFunction> functions = StorageFunction.find(source);
            AdapterReader reader = new AdapterReader(source, topology);
            List<Adapter> adapters = new ArrayList<>(functions.size());
            for (StorageFunction f : functions) {
                adapters.add(reader.read(f));
            }
            return new Host(BACKEND, topology, adapters);
        }
        ExecutorService helpers = Executors.newFixedThreadPool(readers - 1, HELPER);
        try {
            Future<List<StorageFunction>> found = helpers.submit(() -> StorageFunction.find(source));
            Topology topology = TopologyReader.read(source);
            List<StorageFunction> functions = get(found);
            AdapterReader reader = new AdapterReader(source, topology);
            Adapter[] adapters = new Adapter[functions.size()];
            AtomicInteger next = new AtomicInteger();
            Callable<Void> work = () -> {
                for (int i = next.getAndIncrement(); i < adapters.length; i = next.getAndIncrement()) {
                    adapters[i] = reader.read(functions.get(i));
                }
                return null;
            };
            List<Future<Void>> others = new ArrayList<>();
            for (int t = 1; t < Math.min(readers, adapters.length); t++) {
                others.add(helpers.submit(work));
            }
            work.call();
            for (Future<Void> f : others) {
                get(f);
            }
            return new Host(BACKEND, topology, List.of(adapters));
        } catch (LinuxInputException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);   // work.call() declares Exception; the adapter reader throws none
        } finally {
            helpers.shutdownNow();
        }
    }

    private static final ThreadFactory HELPER = r -> {
        Thread t = new Thread(r, "storport-scan");
        t.setDaemon(true);
        return t;
    };

    /** The result of a helper's task, its failure rethrown as it was. */
    private static <T> T get(Future<T> future) throws LinuxInputException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LinuxInputException("/", "interrupted while reading the host", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LinuxInputException l) {
                throw l;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * {@code previous} with one adapter read again, for a question about that adapter alone: it
     * reads only that adapter's files (its PCI function, vectors, affinities, block devices and
     * their queue maps) and reuses the CPU topology of {@code previous}, reading no per-CPU file.
     * Other adapters are kept as they were. When the topology or the set of devices may have
     * changed, a {@link #scan} is the right call ({@link #fingerprint} says when).
     *
     * <p>Of {@code /sys/block} and {@code /sys/class/nvme} only the listings and the links that no
     * other adapter of {@code previous} names are read: a disk that moved from one adapter to
     * another since {@code previous} needs a full scan.
     *
     * @param idOrAlias the adapter's id (its PCI address) or an alias; a PCI address that
     *                  {@code previous} does not know is looked up as a new function
     * @return a new host; without the adapter when its function is gone
     * @throws storport.api.StorPortException INVALID_PARAMETER for a name that is neither an adapter
     *                                        of {@code previous} nor a PCI address
     * @throws LinuxInputException            when the PCI device list cannot be read
     */
    public Host rescanAdapter(SysfsSource host, Host previous, String idOrAlias) throws LinuxInputException {
        Adapter old = previous.find(idOrAlias);
        String bdf;
        if (old != null) {
            bdf = old.id();
        } else if (idOrAlias != null && PciAddress.FORMAT.matcher(idOrAlias).matches()) {
            bdf = idOrAlias;
        } else {
            previous.adapter(idOrAlias);   // throws INVALID_PARAMETER naming the adapters there are
            throw new IllegalStateException("unreachable");
        }
        SysfsSource source = host.session();
        Set<String> others = new HashSet<>();
        List<Adapter> adapters = new ArrayList<>(previous.adapters().size());
        for (Adapter a : previous.adapters()) {
            if (!a.id().equals(bdf)) {
                adapters.add(a);
                others.add(a.id());
                others.addAll(a.aliases());
            }
        }
        StorageFunction f = StorageFunction.findOne(source, bdf, others);
        if (f != null) {
            adapters.add(new AdapterReader(source, previous.topology()).read(f));
        }
        return new Host(previous.backend(), previous.topology(), adapters);
    }

    /**
     * A cheap check for change: a hash over the online CPUs and nodes, the PCI device list, each
     * storage function's vectors and their affinity lists, and the blk-mq CPU lists of its block
     * devices; equal fingerprints mean a new scan would give the same answers. It reads no per-CPU
     * file, and of the per-vector and per-queue files only those userspace can change at every
     * call: the ones the kernel keeps fixed while the device keeps its vectors (managed vectors'
     * affinities, queue CPU lists) are remembered per source and re-read in turns, so a large host
     * costs a few hundred reads per call (see {@link ChangeCheck}). Pass the same source each time.
     *
     * @throws LinuxInputException when {@code cpu/online} or the PCI device list cannot be read
     */
    public String fingerprint(SysfsSource host) throws LinuxInputException {
        return changeCheck.fingerprint(host);
    }
}

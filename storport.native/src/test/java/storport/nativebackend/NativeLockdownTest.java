package storport.nativebackend;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static storport.nativebackend.NativeRoots.GOOD;
import static storport.nativebackend.NativeRoots.activate;
import static storport.nativebackend.NativeRoots.capturer;
import static storport.nativebackend.NativeRoots.goodHost;
import static storport.nativebackend.NativeRoots.link;
import static storport.nativebackend.NativeRoots.write;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import storport.api.Adapter;
import storport.api.Host;
import storport.api.StorPortException;
import storport.nativebackend.FileAccessRecorder.Access;
import storport.nativebackend.FileAccessRecorder.Kind;
import storport.linux.DirectorySource;
import storport.linux.LinuxHostScanner;

/**
 * Locked down (RELIABILITY.md): the native backend, run the way the product runs it (NativeHost's
 * scan, change check and rescan, NativeCapture, and LinuxHostScanner.rescanAdapter), opens nothing
 * for writing but the capture asked for, and reads nothing outside its root, on roots whose links
 * climb out with {@code ..}, point to absolute paths, loop, or sit where the product looks first.
 *
 * <p>Every file access the JVM checks is recorded ({@link FileAccessRecorder}). Reads the JVM makes
 * for itself, loading a class first used during the scan (a {@code .class} or {@code .jar}, the
 * module's classes, the JDK under java.home), are set aside: they are not the backend's.
 * A checked root (a capture, any root but {@code /}) must be read through paths whose folders are
 * real folders inside the root: the operating system then follows no link, wherever it points.
 * As the SecurityManager cannot tell an lstat of a link from an open through it, the files the
 * hostile links point at are canaries besides: their access time is set back before the run and
 * must not move (the test first shows that a read moves it on this file system).
 */
public class NativeLockdownTest {
    private static FileAccessRecorder recorder;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void record() {
        recorder = FileAccessRecorder.install();
    }

    @AfterClass
    public static void stopRecording() {
        if (recorder != null) {
            recorder.uninstall();
        }
    }

    // ------------------------------------------------------------------ fixtures

    /** A storage function outside the root, complete enough that reading it would make an adapter. */
    private static Path outsideFunction(Path outside) throws IOException {
        write(outside, "dev/class", "0x010802");
        write(outside, "dev/vendor", "0x144d");
        write(outside, "dev/device", "0xa808");
        write(outside, "dev/numa_node", "0");
        write(outside, "dev/msi_irqs/60", "msix");
        write(outside, "irq/smp_affinity_list", "0-3");
        write(outside, "irq/hwirq", "0");
        write(outside, "block/size", "2097152");
        write(outside, "block/mq/0/cpu_list", "0, 1, 2, 3");
        write(outside, "cpu/online", "0-63");
        return outside;
    }

    /**
     * The good host plus links that lead out of it every way a capture could: {@code ..} past the
     * root (relative links of devices, a block device, a controller, a vector's /proc entry, a
     * file), absolute targets (the real path of the outside folder), link loops, and a second
     * good-looking function whose files are links out.
     */
    private static void hostileLinks(Path root, Path outside) throws IOException {
        String up = "../".repeat(root.relativize(root.resolve("sys/bus/pci/devices/x")).getNameCount() + 1);
        link(root, "sys/bus/pci/devices/0000:00:09.0", up + outside.getFileName() + "/dev");
        link(root, "sys/bus/pci/devices/0000:00:0a.0", outside.resolve("dev").toString());   // absolute, real outside
        link(root, "sys/bus/pci/devices/0000:00:0b.0", "0000:00:0b.0");                        // loops on itself
        link(root, "sys/bus/pci/devices/0000:00:0c.0", "0000:00:0d.0");
        link(root, "sys/bus/pci/devices/0000:00:0d.0", "0000:00:0c.0");                        // a loop of two
        link(root, "sys/bus/pci/devices/0000:00:0e.0", "../../../devices/pci0000:00/../../../" + outside.getFileName() + "/dev");
        String second = "sys/devices/pci0000:00/0000:00:01.0/0000:02:00.0";
        String up2 = "../".repeat(5 + 1);
        link(root, second + "/class", up2 + outside.getFileName() + "/dev/class");           // the file itself a link out
        link(root, second + "/vendor", outside.resolve("dev/vendor").toString());
        write(root, second + "/device", "0xa808");
        link(root, second + "/msi_irqs", up2 + outside.getFileName() + "/dev/msi_irqs");
        link(root, "sys/bus/pci/devices/0000:02:00.0", "../../../devices/pci0000:00/0000:00:01.0/0000:02:00.0");
        link(root, "proc/irq/60", "../../../" + outside.getFileName() + "/irq");
        link(root, "sys/kernel/irq/60", outside.resolve("irq").toString());
        link(root, "sys/block/vdz", "../../../" + outside.getFileName() + "/block");
        link(root, "sys/class/nvme/nvme9", "../../../../" + outside.getFileName() + "/dev");
    }

    // ------------------------------------------------------------------ the product's way: NativeHost, NativeCapture (NativeRoots)

    /** Everything the backend does with a root: scan, change checks (timer), rescan, rescanAdapter of each adapter and of hostile addresses. */
    private static Host exercise(NativeHost host, String... alsoRescan) throws Exception {
        Host first = host.host();
        Thread.sleep(450);   // the 100 ms change check runs a few times
        Host again = host.rescan();
        LinuxHostScanner scanner = new LinuxHostScanner();
        List<String> ids = new ArrayList<>(first.adapters().stream().map(Adapter::id).toList());
        ids.addAll(List.of(alsoRescan));
        for (String id : ids) {
            try {
                scanner.rescanAdapter(host.source(), again, id);
            } catch (IOException | StorPortException refused) {
                // a hostile address is refused: what matters here is what was touched
            }
        }
        return again;
    }

    // ------------------------------------------------------------------ what was touched

    /** Reads the JVM makes for itself (class loading), not the backend: see the class comment. */
    private static boolean jvmOwn(String path) {
        String javaHome = Path.of(System.getProperty("java.home")).toAbsolutePath().normalize().toString();
        String module = Path.of("target").toAbsolutePath().normalize().toString();
        String m2 = Path.of(System.getProperty("user.home"), ".m2", "repository").toString();
        return path.endsWith(".class") || path.endsWith(".jar") || path.startsWith(javaHome + "/") || path.startsWith(module + "/classes")
                || path.startsWith(module + "/test-classes") || path.startsWith(m2 + "/");
    }

    private static String canonical(Path p) throws IOException {
        return new File(p.toString()).getCanonicalPath();
    }

    private static boolean inside(String path, String root) {
        return path.equals(root) || path.startsWith(root.endsWith("/") ? root : root + "/");
    }

    /** The recorded reads that are the backend's, after the JVM's own are set aside; fails on any write or delete. */
    private static List<String> backendReads(List<Access> accesses, Predicate<String> allowedWrite) {
        List<String> reads = new ArrayList<>();
        List<Access> writes = new ArrayList<>();
        for (Access a : accesses) {
            String path = Path.of(a.path()).toAbsolutePath().normalize().toString();
            if (a.kind() == Kind.READ) {
                if (!jvmOwn(path)) {
                    reads.add(path);
                }
            } else if (!allowedWrite.test(path)) {
                writes.add(a);
            }
        }
        assertEquals("writes, deletes and executions", List.of(), writes);
        return reads;
    }

    /**
     * Every read of a checked root: a path whose folders are real folders inside the root (so the
     * operating system followed no link to reach it), the entry itself inside the root.
     */
    private static void assertCheckedReads(List<String> reads, Path root, Predicate<String> alsoAllowed) throws IOException {
        Path lexicalRoot = root.toAbsolutePath().normalize();
        String realRoot = canonical(lexicalRoot);
        Map<String, String> wrong = new TreeMap<>();
        for (String read : reads) {
            if (alsoAllowed.test(read)) {
                continue;
            }
            Path p = Path.of(read);
            if (!p.startsWith(lexicalRoot)) {
                wrong.put(read, "outside the root");
                continue;
            }
            if (p.equals(lexicalRoot)) {
                continue;
            }
            Path rel = lexicalRoot.relativize(p.getParent());
            String expected = rel.toString().isEmpty() ? realRoot : realRoot + "/" + rel;
            String parent = canonical(p.getParent());
            if (!parent.equals(expected)) {
                wrong.put(read, "reached through a link: its folder is really " + parent);
            }
        }
        assertEquals("reads of " + root + " that are not plain paths inside it", Map.of(), wrong);
    }

    /** Sets each file's access time back; returns what it was set to. */
    private static Map<Path, FileTime> canaries(Path outside) throws IOException {
        Map<Path, FileTime> set = new TreeMap<>();
        FileTime old = FileTime.fromMillis(1_000_000L);
        try (var walk = Files.walk(outside)) {
            for (Path p : walk.toList()) {
                Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(null, old, null);
                set.put(p, old);
            }
        }
        return set;
    }

    private static FileTime atime(Path p) throws IOException {
        return (FileTime) Files.getAttribute(p, "lastAccessTime");
    }

    /** Shows that reading a file moves its access time here (relatime moves it when older than the change time). */
    private void assertAccessTimesShowReads() throws IOException {
        Path control = tmp.newFile("control").toPath();
        Files.writeString(control, "x");
        Files.getFileAttributeView(control, BasicFileAttributeView.class).setTimes(null, FileTime.fromMillis(1_000_000L), null);
        Files.readString(control);
        assertFalse("this file system records reads in the access time", atime(control).equals(FileTime.fromMillis(1_000_000L)));
    }

    private static void assertUntouched(Map<Path, FileTime> canaries) throws IOException {
        Map<String, String> touched = new TreeMap<>();
        for (Map.Entry<Path, FileTime> e : canaries.entrySet()) {
            FileTime now = atime(e.getKey());
            if (!now.equals(e.getValue())) {
                touched.put(e.getKey().toString(), "read at " + now);
            }
        }
        assertEquals("files outside the root that were read", Map.of(), touched);
    }

    // ------------------------------------------------------------------ tests

    @Test
    public void aHostileRootIsScannedCheckedAndReadsNothingOutsideIt() throws Exception {
        assertAccessTimesShowReads();
        Path root = goodHost(tmp.newFolder("root").toPath());
        Path outside = outsideFunction(tmp.newFolder("outside").toPath());
        hostileLinks(root, outside);
        Map<Path, FileTime> canaries = canaries(outside);

        recorder.start();
        NativeHost host = activate(root);
        Host seen;
        try {
            seen = exercise(host, "0000:00:09.0", "0000:00:0a.0", "0000:00:0b.0", "0000:00:0c.0", "0000:00:0e.0", "0000:02:00.0");
        } finally {
            host.deactivate();
        }
        List<Access> accesses = recorder.stop();

        assertNull(host.unavailableReason());
        Adapter good = seen.adapter(GOOD);
        assertEquals("the good adapter answered: " + good.unavailableReason(), 3, good.messageCount());
        for (Adapter a : seen.adapters()) {
            assertTrue("an adapter read from outside the root: " + a, a.id().equals(GOOD) || a.messageCount() == 0);
        }
        List<String> reads = backendReads(accesses, path -> false);
        assertCheckedReads(reads, root, path -> false);
        assertUntouched(canaries);
        System.out.println("NativeLockdownTest: hostile root, scan + change checks + rescan + rescanAdapter: " + reads.size()
                + " reads by the backend, all plain paths inside the root; 0 writes; " + canaries.size() + " outside canaries untouched; "
                + (accesses.size() - reads.size()) + " JVM class-loading reads set aside");
    }

    @Test
    public void aRootWhoseCpuFolderLeadsOutIsRefusedWithoutLookingOutside() throws Exception {
        assertAccessTimesShowReads();
        Path root = tmp.newFolder("root").toPath();
        Path outside = outsideFunction(tmp.newFolder("outside").toPath());
        Files.createDirectories(root.resolve("sys/devices/system"));
        link(root, "sys/devices/system/cpu", "../../../../" + outside.getFileName() + "/cpu");
        Map<Path, FileTime> canaries = canaries(outside);

        recorder.start();
        NativeHost host = activate(root);
        host.deactivate();
        List<Access> accesses = recorder.stop();

        assertNotNull("unavailable: the online CPUs are outside the root", host.unavailableReason());
        assertCheckedReads(backendReads(accesses, path -> false), root, path -> false);
        assertUntouched(canaries);
    }

    @Test
    public void aCaptureOfAHostileRootIsRefusedAndWritesNothing() throws Exception {
        assertAccessTimesShowReads();
        Path root = goodHost(tmp.newFolder("root").toPath());
        Path outside = outsideFunction(tmp.newFolder("outside").toPath());
        hostileLinks(root, outside);
        Map<Path, FileTime> canaries = canaries(outside);
        Path folder = tmp.newFolder("captures").toPath();
        Path file = folder.resolve("hostile.tar.gz");
        NativeHost host = activate(root);
        try {
            recorder.start();
            try {
                capturer(host).capture(file);
                fail("captured a root whose links lead out of it");
            } catch (StorPortException e) {
                assertTrue(e.reason(), e.reason().startsWith("cannot capture: ") && e.reason().contains("leads out of the root"));
            } finally {
                List<Access> accesses = recorder.stop();
                List<String> reads = backendReads(accesses, path -> Path.of(path).getParent().equals(folder)
                        && Path.of(path).getFileName().toString().startsWith(".hostile.tar.gz.") && path.endsWith(".partial"));
                assertCheckedReads(reads, root, path -> path.equals(folder.toString()) || path.equals(file.toString()));
            }
        } finally {
            host.deactivate();
        }
        try (var left = Files.list(folder)) {
            assertEquals("nothing left behind", List.of(), left.toList());
        }
        assertUntouched(canaries);
    }

    @Test
    public void aCaptureWritesOnlyTheFileAskedForAtomicallyAndNeverOverwrites() throws Exception {
        Path root = goodHost(tmp.newFolder("root").toPath());
        Path folder = tmp.newFolder("captures").toPath();
        Path file = folder.resolve("host.tar.gz");
        NativeHost host = activate(root);
        try {
            Predicate<String> theCapture = path -> path.equals(file.toString())
                    || (Path.of(path).getParent().equals(folder) && Path.of(path).getFileName().toString().startsWith(".host.tar.gz.")
                            && path.endsWith(".partial"));
            Predicate<String> itsFolder = path -> path.equals(folder.toString()) || theCapture.test(path);

            recorder.start();
            String said = capturer(host).capture(file);
            List<Access> accesses = recorder.stop();

            assertTrue(said, said.startsWith("captured "));
            List<String> reads = backendReads(accesses, theCapture);
            assertCheckedReads(reads, root, itsFolder);
            long written = accesses.stream().filter(a -> a.kind() != Kind.READ).count();
            assertTrue("the capture was written through a temporary file: " + accesses.stream().filter(a -> a.kind() != Kind.READ).toList(),
                    accesses.stream().anyMatch(a -> a.kind() == Kind.DELETE && a.path().endsWith(".partial")));
            try (var left = Files.list(folder)) {
                assertEquals("only the capture is left", List.of(file), left.toList());
            }
            byte[] first = Files.readAllBytes(file);

            recorder.start();
            try {
                capturer(host).capture(file);
                fail("a second capture replaced " + file);
            } catch (StorPortException e) {
                assertEquals(file + " exists; choose another name (a capture never overwrites)", e.reason());
            } finally {
                accesses = recorder.stop();
            }
            assertArrayEquals(first, Files.readAllBytes(file));
            assertEquals("no write at all when the name is taken", List.of(),
                    accesses.stream().filter(a -> a.kind() != Kind.READ).toList());
            System.out.println("NativeLockdownTest: capture of a root: " + reads.size() + " reads inside the root, " + written
                    + " writes/deletes, all on " + file.getFileName() + " and its temporary file; a second capture wrote nothing");
        } finally {
            host.deactivate();
        }
    }

    @Test
    public void theLiveRootIsReadOnlyUnderSysAndProcAndNeverWritten() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("live.tar.gz");
        recorder.start();
        NativeHost host = activate(Path.of("/"));
        String why = host.unavailableReason();
        String said = null;
        try {
            if (why == null) {
                exercise(host);
                said = capturer(host).capture(file);
            }
        } finally {
            host.deactivate();
        }
        List<Access> accesses = recorder.stop();
        assertEquals("the native backend reads this Linux host", null, why);
        assertTrue(said, said.startsWith("captured "));
        List<String> reads = backendReads(accesses, path -> path.equals(file.toString()) || path.startsWith(file.getParent() + "/.live.tar.gz."));
        Map<String, String> elsewhere = new TreeMap<>();
        int sys = 0;
        for (String read : reads) {
            if (read.equals("/") || read.equals(file.getParent().toString()) || read.startsWith(file.getParent() + "/.live.tar.gz.")
                    || read.equals(file.toString())) {
                continue;
            }
            String real = canonical(Path.of(read));
            if (inside(real, "/sys") || inside(real, "/proc")) {
                sys++;
            } else {
                elsewhere.put(read, real);
            }
        }
        assertEquals("reads of the live root outside /sys and /proc", Map.of(), elsewhere);
        System.out.println("NativeLockdownTest: live root /, scan + change checks + rescan + rescanAdapter + capture: " + sys
                + " reads, all under /sys and /proc; no write but the capture");
    }

    @Test
    public void aTrustedTreeMadeHereIsReadInsideIt() throws Exception {
        Path root = goodHost(tmp.newFolder("root").toPath());
        String real = canonical(root);
        LinuxHostScanner scanner = new LinuxHostScanner();
        DirectorySource trusted = DirectorySource.trusted(root);
        recorder.start();
        Host host = scanner.scan(trusted);
        scanner.fingerprint(trusted);
        scanner.rescanAdapter(trusted, host, GOOD);
        List<Access> accesses = recorder.stop();
        assertEquals(3, host.adapter(GOOD).messageCount());
        List<String> reads = backendReads(accesses, path -> false);
        Map<String, String> outsideReads = new TreeMap<>();
        for (String read : reads) {
            String c = canonical(Path.of(read));
            if (!inside(c, real)) {
                outsideReads.put(read, c);
            }
        }
        assertEquals("reads of a trusted tree that left it", Map.of(), outsideReads);
        assertFalse(reads.isEmpty());
    }

    private static void assertNull(Object o) {
        assertEquals(null, o);
    }
}

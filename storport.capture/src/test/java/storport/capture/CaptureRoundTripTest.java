package storport.capture;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CaptureRoundTripTest {

    private static final String DEV = Trees.DEV;
    private static final String PCI = "/sys/bus/pci/devices/0000:00:02.0";
    private static final CaptureInfo INFO = CaptureInfo.of("db-7", "6.1.0-18-amd64", Instant.parse("2026-03-04T05:06:07Z"),
            "0.1.0-SNAPSHOT");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path host;
    private Path work;

    @Before
    public void setUp() throws IOException {
        host = tmp.newFolder("host").toPath();
        work = tmp.newFolder("work").toPath();
        Trees.host(host);
    }

    @After
    public void tearDown() throws IOException {
        Trees.makeWritable(tmp.getRoot().toPath());
    }

    private Path capture(String name) throws IOException {
        Path out = work.resolve(name);
        new CaptureWriter().write(new FolderSource(host), new Trees.Scan(), out, INFO);
        return out;
    }

    @Test
    public void archiveReplaysWhatTheScanSaw() throws IOException {
        Map<String, Object> live = Trees.scan(new FolderSource(host));
        Path out = work.resolve("db-7.tar.gz");
        CaptureInfo written = new CaptureWriter().write(new FolderSource(host), new Trees.Scan(), out, INFO);

        try (var unused = Files.newInputStream(out)) {
            // the file exists and is readable
        }
        CaptureArchive a = CaptureArchive.open(out);
        assertEquals(live, Trees.scan(a));

        // reads, through the same (linked) paths, by hand
        assertEquals("0x010000\n", a.read(PCI + "/class"));
        assertEquals("msix\n", a.read(PCI + "/msi_irqs/36"));
        assertEquals("0-1\n", a.read("/sys/block/vda/mq/0/cpu_list"));
        assertEquals("0-1\n", a.read("/" + DEV + "/virtio1/block/vda/mq/0/cpu_list"));
        assertEquals("0-1\n", a.read("/proc/irq/36/smp_affinity_list"));

        // links are links with the targets as stored
        assertTrue(a.isSymbolicLink(PCI));
        assertEquals("../../../devices/pci0000:00/0000:00:02.0", a.readLink(PCI));
        assertEquals("../devices/pci0000:00/0000:00:02.0/virtio1/block/vda", a.readLink("/sys/block/vda"));
        assertEquals("../devices/virtual/block/loop0", a.readLink("/sys/block/loop0"));
        assertEquals("../../../bus/pci/drivers/virtio-pci", a.readLink(PCI + "/driver"));
        assertTrue(a.isDirectory(PCI + "/driver"));
        assertFalse(a.isSymbolicLink("/" + DEV));
        assertTrue(a.isDirectory("/sys/block/vda"));

        // listings
        assertEquals(List.of("0000:00:02.0"), a.list("/sys/bus/pci/devices"));
        assertEquals(List.of("35", "36"), a.list(PCI + "/msi_irqs"));
        assertEquals(List.of("loop0", "vda"), a.list("/sys/block"));
        assertEquals(List.of("0", "1"), a.list("/sys/block/vda/mq"));
        assertEquals(List.of(), a.list("/sys/class/nvme"));
        assertTrue(a.isDirectory("/sys/class/nvme"));
        assertTrue(a.isDirectory("/sys/kernel/irq/36"));
        assertEquals(List.of("proc", "storport-capture.properties", "sys"), a.list("/"));

        // listed or probed but never read: a name without content
        assertTrue(a.exists(PCI + "/msi_irqs/35"));
        assertThrows(AccessDeniedException.class, () -> a.read(PCI + "/msi_irqs/35"));
        assertTrue(a.exists("/proc/interrupts"));
        assertThrows(AccessDeniedException.class, () -> a.read("/proc/interrupts"));

        // unread files are not there at all
        for (String unread : List.of(PCI + "/numa_node", "/sys/block/vda/size", "/sys/block/vda/mq/1/cpu_list",
                "/sys/block/loop0/size", "/sys/kernel/irq/36/actions", "/proc/irq/35/smp_affinity_list",
                "/sys/bus/pci/drivers/virtio-pci/new_id")) {
            assertFalse(unread, a.exists(unread));
            assertThrows(unread, NoSuchFileException.class, () -> a.read(unread));
        }
        assertEquals(List.of(), a.list("/sys/block/vda/mq/1"));
        assertEquals(List.of(), a.list("/sys/kernel/irq/36"));

        // manifest
        CaptureInfo expected = new CaptureInfo("db-7", "6.1.0-18-amd64", Instant.parse("2026-03-04T05:06:07Z"),
                "0.1.0-SNAPSHOT", "folder " + host.toAbsolutePath(), 38);
        assertEquals(expected, written);
        assertEquals(expected, a.info());
        assertEquals(38, a.entries());
        assertEquals("capture db-7.tar.gz of host db-7 (2026-03-04T05:06:07Z)", a.describe());
    }

    @Test
    public void archiveLayoutIsTheHostTreeWithRelativeLinks() throws Exception {
        Path out = capture("layout.tar.gz");
        assertEquals(List.of(
                "storport-capture.properties",
                "proc/",
                "proc/interrupts",
                "proc/irq/",
                "proc/irq/36/",
                "proc/irq/36/smp_affinity_list",
                "sys/",
                "sys/block/",
                "sys/block/loop0",
                "sys/block/vda",
                "sys/bus/",
                "sys/bus/pci/",
                "sys/bus/pci/devices/",
                "sys/bus/pci/devices/0000:00:02.0",
                "sys/bus/pci/drivers/",
                "sys/bus/pci/drivers/virtio-pci/",
                "sys/class/",
                "sys/class/nvme/",
                "sys/devices/",
                "sys/devices/pci0000:00/",
                "sys/devices/pci0000:00/0000:00:02.0/",
                "sys/devices/pci0000:00/0000:00:02.0/class",
                "sys/devices/pci0000:00/0000:00:02.0/driver",
                "sys/devices/pci0000:00/0000:00:02.0/msi_irqs/",
                "sys/devices/pci0000:00/0000:00:02.0/msi_irqs/35",
                "sys/devices/pci0000:00/0000:00:02.0/msi_irqs/36",
                "sys/devices/pci0000:00/0000:00:02.0/virtio1/",
                "sys/devices/pci0000:00/0000:00:02.0/virtio1/block/",
                "sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/",
                "sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/mq/",
                "sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/mq/0/",
                "sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/mq/0/cpu_list",
                "sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/mq/1/",
                "sys/devices/virtual/",
                "sys/devices/virtual/block/",
                "sys/devices/virtual/block/loop0/",
                "sys/kernel/",
                "sys/kernel/irq/",
                "sys/kernel/irq/36/"), Trees.tarNames(out));

        String verbose = Trees.run(work, "tar", "tzvf", out.toString());
        assertTrue(verbose, verbose.contains("sys/block/vda -> ../devices/pci0000:00/0000:00:02.0/virtio1/block/vda"));
        assertTrue(verbose, verbose.lines().allMatch(l -> l.contains(" 0/0 ") && l.contains("2026-03-04")));

        String manifest = Trees.run(work, "tar", "xzOf", out.toString(), "storport-capture.properties");
        assertTrue(manifest, manifest.contains("\nformat=storport-capture/1\n"));
        assertTrue(manifest, manifest.contains("\nhost=db-7\n"));
        assertTrue(manifest, manifest.contains("\nkernel=6.1.0-18-amd64\n"));
        assertTrue(manifest, manifest.contains("\ntime=2026-03-04T05:06:07Z\n"));
        assertTrue(manifest, manifest.contains("\nstorport-version=0.1.0-SNAPSHOT\n"));
        assertTrue(manifest, manifest.contains("\nentries=38\n"));
        assertTrue(manifest, manifest.contains("\nroot=folder " + host.toAbsolutePath() + "\n"));
    }

    @Test
    public void unpackedWithSystemTarItReadsLikeTheHost() throws Exception {
        Map<String, Object> live = Trees.scan(new FolderSource(host));
        Path out = capture("db-7.tar.gz");
        Path unpacked = tmp.newFolder("unpacked").toPath();
        Trees.run(unpacked, "tar", "xzf", out.toString());

        // through the OS, following the real symlinks
        assertEquals("0x010000\n", Files.readString(unpacked.resolve("sys/bus/pci/devices/0000:00:02.0/class")));
        assertEquals("msix\n", Files.readString(unpacked.resolve("sys/bus/pci/devices/0000:00:02.0/msi_irqs/36")));
        assertEquals("0-1\n", Files.readString(unpacked.resolve("sys/block/vda/mq/0/cpu_list")));
        assertEquals("0-1\n", Files.readString(unpacked.resolve("proc/irq/36/smp_affinity_list")));
        for (Map.Entry<String, Object> e : live.entrySet()) {
            if (e.getKey().startsWith("read ")) {
                assertEquals(e.getKey(), e.getValue(), Files.readString(unpacked.resolve(e.getKey().substring(6))));
            }
        }

        Path pci = unpacked.resolve("sys/bus/pci/devices/0000:00:02.0");
        assertTrue(Files.isSymbolicLink(pci));
        assertEquals(Paths.get("../../../devices/pci0000:00/0000:00:02.0"), Files.readSymbolicLink(pci));
        assertFalse(Files.readSymbolicLink(pci).isAbsolute());
        Path vda = unpacked.resolve("sys/block/vda");
        assertTrue(Files.isSymbolicLink(vda));
        assertEquals(Paths.get("../devices/pci0000:00/0000:00:02.0/virtio1/block/vda"), Files.readSymbolicLink(vda));
        assertFalse(Files.isSymbolicLink(unpacked.resolve(DEV)));
        assertTrue(Files.isDirectory(unpacked.resolve(DEV)));

        assertEquals(List.of("35", "36"), Trees.sortedNames(pci.resolve("msi_irqs")));
        assertEquals(List.of("0", "1"), Trees.sortedNames(vda.resolve("mq")));
        assertEquals(List.of(), Trees.sortedNames(unpacked.resolve("sys/class/nvme")));
        assertFalse(Files.exists(pci.resolve("numa_node"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(unpacked.resolve("proc/irq/35")));

        assertEquals("r--r--r--", perms(pci.resolve("class")));
        assertEquals("r-xr-xr-x", perms(unpacked.resolve(DEV)));
        assertEquals("---------", perms(pci.resolve("msi_irqs/35")));

        // the unpacked tree, as a root, answers the scan exactly as the host did
        assertEquals(live, Trees.scan(new FolderSource(unpacked)));
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    public void repackedWithSystemTarItStillOpens() throws Exception {
        Map<String, Object> live = Trees.scan(new FolderSource(host));
        Path out = capture("db-7.tar.gz");
        Path unpacked = tmp.newFolder("unpacked").toPath();
        Trees.run(unpacked, "tar", "xzf", out.toString());
        Path repacked = work.resolve("repacked.tar.gz");
        Trees.run(unpacked, "tar", "czf", repacked.toString(), ".");

        CaptureArchive a = CaptureArchive.open(repacked);
        assertEquals(live, Trees.scan(a));
        assertEquals(38, a.entries());
        assertEquals("db-7", a.info().host());
    }

    @Test
    public void sameHostGivesTheSameBytes() throws IOException {
        Path first = capture("first.tar.gz");
        Path second = capture("second.tar.gz");
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));

        Path later = work.resolve("later.tar.gz");
        new CaptureWriter().write(new FolderSource(host), new Trees.Scan(), later,
                CaptureInfo.of("db-7", "6.1.0-18-amd64", Instant.parse("2026-03-04T05:06:08Z"), "0.1.0-SNAPSHOT"));
        assertNotEquals(Files.size(first), 0);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(first), Files.readAllBytes(later)));
    }

    @Test
    public void longNamesAndLinkTargetsSurvive() throws Exception {
        String deep = "sys/devices/" + "platform-bus-segment-0123456789/".repeat(5) + "queue/cpu_list"; // ~190, splits
        String wide = "sys/devices/" + "c".repeat(150) + "/value"; // a 150-byte component: needs PAX
        String longTarget = "../devices/" + "platform-bus-segment-0123456789/".repeat(4) + "blk"; // > 100
        assertTrue(deep.length() > 155 && wide.length() > 155 && longTarget.length() > 100);
        Trees.file(host, deep, "deep\n");
        Trees.file(host, wide, "wide\n");
        Trees.file(host, "sys/devices/" + "platform-bus-segment-0123456789/".repeat(4) + "blk/dev", "259:0\n");
        Trees.link(host, "sys/block/nvme0n1", longTarget);
        Path out = work.resolve("long.tar.gz");
        new CaptureWriter().write(new FolderSource(host), s -> {
            try {
                s.read("/" + deep);
                s.read("/" + wide);
                s.read("/sys/block/nvme0n1/dev");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, out, INFO);

        CaptureArchive a = CaptureArchive.open(out);
        assertEquals("deep\n", a.read("/" + deep));
        assertEquals("wide\n", a.read("/" + wide));
        assertEquals("259:0\n", a.read("/sys/block/nvme0n1/dev"));
        assertEquals(longTarget, a.readLink("/sys/block/nvme0n1"));

        List<String> names = Trees.tarNames(out);
        assertTrue(names.toString(), names.contains(deep));
        assertTrue(names.toString(), names.contains(wide));
        Path unpacked = tmp.newFolder("unpacked").toPath();
        Trees.run(unpacked, "tar", "xzf", out.toString());
        assertEquals("deep\n", Files.readString(unpacked.resolve(deep)));
        assertEquals("wide\n", Files.readString(unpacked.resolve(wide)));
        assertEquals("259:0\n", Files.readString(unpacked.resolve("sys/block/nvme0n1/dev")));
        assertEquals(Paths.get(longTarget), Files.readSymbolicLink(unpacked.resolve("sys/block/nvme0n1")));
    }
}

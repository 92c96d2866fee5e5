package storport.capture;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import storport.linux.SysfsSource;

/** Test helpers: fake host trees, a scan that notes what it saw, system tar, raw tar crafting. */
final class Trees {

    static final String DEV = "sys/devices/pci0000:00/0000:00:02.0";

    private Trees() {
    }

    static void file(Path root, String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    static void link(Path root, String rel, String target) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.createSymbolicLink(p, Paths.get(target));
    }

    /** A small virtio-blk host: one PCI storage function, its block device, a loop device, IRQ files. */
    static void host(Path root) throws IOException {
        file(root, DEV + "/class", "0x010000\n");
        file(root, DEV + "/numa_node", "-1\n");
        file(root, DEV + "/msi_irqs/35", "msix\n");
        file(root, DEV + "/msi_irqs/36", "msix\n");
        link(root, DEV + "/driver", "../../../bus/pci/drivers/virtio-pci");
        Files.createDirectories(root.resolve("sys/bus/pci/drivers/virtio-pci"));
        file(root, "sys/bus/pci/drivers/virtio-pci/new_id", "");
        file(root, DEV + "/virtio1/block/vda/mq/0/cpu_list", "0-1\n");
        file(root, DEV + "/virtio1/block/vda/mq/1/cpu_list", "2-3\n");
        file(root, DEV + "/virtio1/block/vda/size", "20971520\n");
        link(root, "sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
        link(root, "sys/block/vda", "../devices/pci0000:00/0000:00:02.0/virtio1/block/vda");
        file(root, "sys/devices/virtual/block/loop0/size", "0\n");
        link(root, "sys/block/loop0", "../devices/virtual/block/loop0");
        Files.createDirectories(root.resolve("sys/class/nvme"));
        file(root, "sys/kernel/irq/36/actions", "virtio1-req.0\n");
        file(root, "proc/irq/35/smp_affinity_list", "0-3\n");
        file(root, "proc/irq/36/smp_affinity_list", "0-1\n");
        file(root, "proc/interrupts", "           CPU0       CPU1\n");
    }

    /** What a scan saw, call by call ("read /x" -> content, "list /x" -> names, ...), in call order. */
    static final class Scan implements Consumer<SysfsSource> {
        final Map<String, Object> seen = new LinkedHashMap<>();

        @Override
        public void accept(SysfsSource s) {
            try {
                for (String bdf : list(s, "/sys/bus/pci/devices")) {
                    String dev = "/sys/bus/pci/devices/" + bdf;
                    if (!read(s, dev + "/class").startsWith("0x01")) {
                        continue;
                    }
                    for (String irq : list(s, dev + "/msi_irqs")) {
                        if (irq.equals("36")) {
                            read(s, dev + "/msi_irqs/" + irq);
                        }
                    }
                    seen.put("link " + dev + "/driver", s.readLink(dev + "/driver"));
                }
                for (String blk : list(s, "/sys/block")) {
                    if (blk.startsWith("vd")) {
                        list(s, "/sys/block/" + blk + "/mq");
                        read(s, "/sys/block/" + blk + "/mq/0/cpu_list");
                    }
                }
                read(s, "/proc/irq/36/smp_affinity_list");
                list(s, "/sys/class/nvme");
                seen.put("isDirectory /sys/kernel/irq/36", s.isDirectory("/sys/kernel/irq/36"));
                seen.put("exists /proc/interrupts", s.exists("/proc/interrupts"));
                seen.put("isDirectory /sys/bus/pci/devices/0000:00:02.0/driver",
                        s.isDirectory("/sys/bus/pci/devices/0000:00:02.0/driver"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private List<String> list(SysfsSource s, String path) throws IOException {
            List<String> names = s.list(path);
            seen.put("list " + path, names);
            return names;
        }

        private String read(SysfsSource s, String path) throws IOException {
            String content = s.read(path);
            seen.put("read " + path, content);
            return content;
        }
    }

    static Map<String, Object> scan(SysfsSource s) {
        Scan scan = new Scan();
        scan.accept(s);
        return scan.seen;
    }

    /** Runs a command, failing the test when it does not exit 0; returns its standard output. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        b.environment().put("TZ", "UTC");
        b.environment().put("LC_ALL", "C");
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(String.join(" ", command) + ": " + out, 0, p.waitFor());
        return out;
    }

    /** Lets the test runner delete a tree holding read-only folders. */
    static void makeWritable(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    p.toFile().setWritable(true, true);
                }
            }
        }
    }

    // --- raw tar crafting, independent of the production writer ---

    static byte[] header(String name, char type, String sizeField, String link, int mode) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, String.format("%07o", mode));
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, sizeField);
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        put(h, 157, link);
        put(h, 257, "ustar");
        put(h, 263, "00");
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, at, b.length);
    }

    static byte[] entry(String name, char type, byte[] data, String link) {
        byte[] h = header(name, type, String.format("%011o", data.length), link, type == '5' ? 0755 : 0644);
        int padded = (data.length + 511) / 512 * 512;
        byte[] e = Arrays.copyOf(h, 512 + padded);
        System.arraycopy(data, 0, e, 512, data.length);
        return e;
    }

    static byte[] file(String name, String content) {
        return entry(name, '0', content.getBytes(StandardCharsets.UTF_8), "");
    }

    static byte[] dir(String name) {
        return entry(name, '5', new byte[0], "");
    }

    static byte[] symlink(String name, String target) {
        return entry(name, '2', new byte[0], target);
    }

    static String manifestText(String format) {
        return "format=" + format + "\nhost=test-host\nkernel=6.1.0\ntime=2026-01-02T03:04:05Z\n"
                + "storport-version=0.1.0\nroot=/\nentries=3\n";
    }

    static byte[] manifest() {
        return file("storport-capture.properties", manifestText("storport-capture/1"));
    }

    /** The parts, then the end-of-archive marker. */
    static byte[] tar(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    /** Entry names of a tar as the system tar lists them. */
    static List<String> tarNames(Path archive) throws IOException, InterruptedException {
        String out = run(archive.getParent(), "tar", "tzf", archive.toString());
        return new ArrayList<>(Arrays.asList(out.split("\n")));
    }

    static List<String> sortedNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted(Comparator.naturalOrder()).collect(
                    java.util.stream.Collectors.toList());
        }
    }
}

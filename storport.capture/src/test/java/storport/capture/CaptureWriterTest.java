package storport.capture;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CaptureWriterTest {

    private static final CaptureInfo INFO = CaptureInfo.of("db-7", "6.1.0", Instant.parse("2026-03-04T05:06:07Z"), "0.1.0");

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

    @Test
    public void failingScanLeavesNothingBehind() throws IOException {
        Path out = work.resolve("db-7.tar.gz");
        IllegalStateException boom = new IllegalStateException("scan failed");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CaptureWriter().write(new FolderSource(host), s -> {
                    try {
                        s.read("/proc/irq/36/smp_affinity_list");
                    } catch (IOException io) {
                        throw new UncheckedIOException(io);
                    }
                    throw boom;
                }, out, INFO));
        assertSame(boom, e);
        assertFalse(Files.exists(out));
        assertEquals(List.of(), Trees.sortedNames(work));
    }

    @Test
    public void refusesToOverwriteUnlessAsked() throws IOException {
        Path out = work.resolve("db-7.tar.gz");
        Files.writeString(out, "precious");
        AtomicBoolean scanned = new AtomicBoolean();
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> new CaptureWriter().write(new FolderSource(host), s -> scanned.set(true), out, INFO));
        assertTrue(e.getMessage(), e.getMessage().contains(out.toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("refusing to overwrite"));
        assertFalse("the scan does not run for nothing", scanned.get());
        assertEquals("precious", Files.readString(out));

        new CaptureWriter().write(new FolderSource(host), new Trees.Scan(), out, INFO, true);
        assertEquals("db-7", CaptureArchive.open(out).info().host());
        assertEquals(List.of("db-7.tar.gz"), Trees.sortedNames(work));
    }

    @Test
    public void refusesWhenTheNameIsTakenDuringTheScan() throws IOException {
        Path out = work.resolve("db-7.tar.gz");
        assertThrows(FileAlreadyExistsException.class, () -> new CaptureWriter().write(new FolderSource(host), s -> {
            try {
                Files.writeString(out, "raced");
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
        }, out, INFO));
        assertEquals("raced", Files.readString(out));
        assertEquals(List.of("db-7.tar.gz"), Trees.sortedNames(work));
    }

    @Test
    public void missingFolderIsReported() {
        Path out = work.resolve("no/such/folder/db-7.tar.gz");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> new CaptureWriter().write(new FolderSource(host), new Trees.Scan(), out, INFO));
        assertTrue(e.getMessage(), e.getMessage().contains("does not exist"));
    }

    @Test
    public void tooLargeIsRefusedAndNotWritten() throws IOException {
        Path out = work.resolve("big.tar.gz");
        CaptureException e = assertThrows(CaptureException.class,
                () -> new CaptureWriter(new Limits(4, 1000, 1000)).write(new FolderSource(host), s -> {
                    try {
                        s.read("/sys/devices/pci0000:00/0000:00:02.0/class"); // 9 bytes
                    } catch (IOException io) {
                        throw new UncheckedIOException(io);
                    }
                }, out, INFO));
        assertTrue(e.getMessage(), e.getMessage().contains("too large for a capture"));
        assertTrue(e.getMessage(), e.getMessage().contains("/sys/devices/pci0000:00/0000:00:02.0/class is 9 bytes"));
        assertFalse(Files.exists(out));
        assertEquals(List.of(), Trees.sortedNames(work));
    }

    @Test
    public void writesWhatARecordingAlreadySaw() throws IOException {
        RecordingSource recording = new RecordingSource(new FolderSource(host));
        assertEquals("0-1\n", recording.read("/sys/block/vda/mq/0/cpu_list"));
        Path out = work.resolve("recorded.tar.gz");
        CaptureInfo written = new CaptureWriter().write(recording, out, INFO, false);
        CaptureArchive a = CaptureArchive.open(out);
        assertEquals("0-1\n", a.read("/sys/block/vda/mq/0/cpu_list"));
        // sys, block, vda link, devices, pci0000:00, 0000:00:02.0, virtio1, block, vda, mq, 0, cpu_list
        assertEquals(12, written.entries());
        assertEquals(written, a.info());
    }

    @Test
    public void pathsAreOrderedFolderFirst() {
        assertTrue(CaptureWriter.comparePaths("a", "a/b") < 0);
        assertTrue(CaptureWriter.comparePaths("a/b", "a-b") < 0);
        assertTrue(CaptureWriter.comparePaths("a/z", "a-b") < 0);
        assertTrue(CaptureWriter.comparePaths("a-b", "a/b") > 0);
        assertTrue(CaptureWriter.comparePaths("b", "a/b") > 0);
        assertEquals(0, CaptureWriter.comparePaths("a/b", "a/b"));
    }

    @Test
    public void paxRecordLengthCountsItself() {
        for (int n = 0; n < 2000; n++) {
            String record = TarWriter.paxRecord("path", "x".repeat(n));
            int declared = Integer.parseInt(record.substring(0, record.indexOf(' ')));
            assertEquals(record, record.length(), declared);
        }
    }
}

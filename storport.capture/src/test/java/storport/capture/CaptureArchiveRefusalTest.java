package storport.capture;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CaptureArchiveRefusalTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path work;

    @Before
    public void setUp() throws IOException {
        work = tmp.newFolder("work").toPath();
    }

    @After
    public void tearDown() throws IOException {
        Trees.makeWritable(tmp.getRoot().toPath());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = work.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Opening fails with a CaptureException whose message names the file and contains {@code expected}. */
    private static String refused(Path file, String expected) {
        return refused(file, expected, Limits.DEFAULT);
    }

    private static String refused(Path file, String expected, Limits limits) {
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureArchive.open(file, limits));
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
        assertTrue(e.getMessage(), e.getMessage().contains(file.toString()));
        return e.getMessage();
    }

    private byte[] validCapture() throws IOException {
        Path host = tmp.newFolder("host").toPath();
        Trees.host(host);
        Path out = work.resolve("valid.tar.gz");
        new CaptureWriter().write(new FolderSource(host), new Trees.Scan(), out,
                CaptureInfo.of("db-7", "6.1.0", Instant.parse("2026-03-04T05:06:07Z"), "0.1.0"));
        return Files.readAllBytes(out);
    }

    @Test
    public void craftedMinimalCaptureOpens() throws IOException {
        // the crafting helpers themselves make a valid capture, so every refusal below is for its one defect
        Path ok = write("ok.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.dir("sys/"), Trees.file("sys/a", "1\n"),
                Trees.symlink("sys/b", "a"))));
        CaptureArchive a = CaptureArchive.open(ok);
        assertEquals("1\n", a.read("/sys/b"));
        assertEquals("test-host", a.info().host());
        assertEquals("capture ok.tar.gz of host test-host (2026-01-02T03:04:05Z)", a.describe());
    }

    @Test
    public void textFileRenamedIsNotGzip() throws IOException {
        Path p = write("notes.tar.gz", "just some notes\n".getBytes(StandardCharsets.UTF_8));
        refused(p, "not a gzip file");
        refused(write("empty.tar.gz", new byte[0]), "not a gzip file");
    }

    @Test
    public void truncatedCaptureIsRefused() throws IOException {
        byte[] valid = validCapture();
        Path half = write("half.tar.gz", Arrays.copyOf(valid, valid.length / 2));
        refused(half, "truncated");
        Path almost = write("almost.tar.gz", Arrays.copyOf(valid, valid.length - 4)); // only the gzip trailer cut
        refused(almost, "truncated");
    }

    @Test
    public void tarWithoutEndMarkerIsTruncated() throws IOException {
        byte[] tar = Trees.tar(Trees.manifest(), Trees.file("sys/a", "1\n"));
        Path p = write("cut.tar.gz", Trees.gzip(Arrays.copyOf(tar, tar.length - 1024 - 512)));
        refused(p, "truncated tar archive");
    }

    @Test
    public void corruptedHeaderChecksumIsRefused() throws IOException {
        byte[] tar = Trees.gunzip(validCapture());
        tar[3] ^= 0x01; // inside the first header's name field
        refused(write("flipped.tar.gz", Trees.gzip(tar)), "bad tar header checksum");
    }

    @Test
    public void gzipOfSomethingElseIsNotATar() throws IOException {
        byte[] text = "hello\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        refused(write("text.tar.gz", Trees.gzip(text)), "bad tar header checksum");
    }

    @Test
    public void tarWithoutManifestIsNotACapture() throws Exception {
        Path random = tmp.newFolder("random").toPath();
        Trees.file(random, "etc/motd", "hello\n");
        Trees.file(random, "notes.txt", "nothing to see\n");
        Path p = work.resolve("random.tar.gz");
        Trees.run(random, "tar", "czf", p.toString(), ".");
        CaptureException e = assertThrows(CaptureException.class, () -> CaptureArchive.open(p));
        assertEquals("not a storport capture: " + p + " has no storport-capture.properties", e.getMessage());
    }

    @Test
    public void escapingAndAbsoluteNamesAreRefused() throws IOException {
        refused(write("escape.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.file("../escape", "x")))),
                "entry ../escape escapes the capture");
        refused(write("inner.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.file("sys/../../escape", "x")))),
                "escapes the capture");
        refused(write("abs.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.file("/abs", "x")))),
                "entry /abs has an absolute name");
    }

    @Test
    public void linkLeadingOutIsNeverFollowed() throws IOException {
        Path p = write("out.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.dir("sys/"),
                Trees.symlink("sys/link", "../../.."), Trees.symlink("sys/abs", "/../etc"))));
        CaptureArchive a = CaptureArchive.open(p);
        assertEquals("../../..", a.readLink("/sys/link"));
        CaptureException e = assertThrows(CaptureException.class, () -> a.read("/sys/link/etc/passwd"));
        assertTrue(e.getMessage(), e.getMessage().contains("symbolic link /sys/link -> ../../.. leads out of the root"));
        assertTrue(e.getMessage(), e.getMessage().contains("out.tar.gz"));
        assertThrows(CaptureException.class, () -> a.list("/sys/link"));
        assertThrows(CaptureException.class, () -> a.read("/sys/abs/passwd"));
        assertThrows(CaptureException.class, () -> a.read("/../etc/passwd"));
        assertFalse(a.isDirectory("/sys/link"));
        assertTrue(a.exists("/sys/link")); // the link itself is there
    }

    @Test(timeout = 10_000)
    public void symlinkLoopIsAnError() throws IOException {
        Path p = write("loop.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.symlink("sys/a", "b"),
                Trees.symlink("sys/b", "a"), Trees.symlink("sys/self", "./self"))));
        CaptureArchive a = CaptureArchive.open(p);
        for (String path : new String[] {"/sys/a", "/sys/a/x", "/sys/self"}) {
            CaptureException e = assertThrows(CaptureException.class, () -> a.read(path));
            assertTrue(e.getMessage(), e.getMessage().contains("too many levels of symbolic links"));
        }
        assertThrows(CaptureException.class, () -> a.list("/sys/b"));
        assertFalse(a.isDirectory("/sys/a"));
        assertEquals("b", a.readLink("/sys/a"));
    }

    @Test
    public void oversizeEntryIsRefusedBeforeReadingIt() throws IOException {
        // claims 8 GiB - 1 but carries no data: a reader that allocated or read it would fail differently
        byte[] big = Trees.header("sys/big", '0', "77777777777", "", 0444);
        String m = refused(write("big.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), big))), "too large for a capture");
        assertTrue(m, m.contains("sys/big"));
        assertTrue(m, m.contains("8589934591"));

        byte[] huge = Trees.header("sys/huge", '0', "00000000000", "", 0444);
        huge[124] = (byte) 0x80; // GNU base-256 size
        Arrays.fill(huge, 125, 136, (byte) 0x7f);
        Arrays.fill(huge, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : huge) {
            sum += b & 0xff;
        }
        byte[] chk = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chk, 0, huge, 148, 6);
        huge[154] = 0;
        refused(write("huge.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), huge))), "too large for a capture");

        // just over 16 MiB, really there: refused too
        byte[] over = Trees.entry("sys/over", '0', new byte[16 * 1024 * 1024 + 1], "");
        refused(write("over.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), over))), "too large for a capture");
    }

    @Test
    public void totalAndCountLimitsAreEnforced() throws IOException {
        Path p = write("many.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.file("a", "12345"),
                Trees.file("b", "12345"), Trees.file("c", "12345"))));
        CaptureArchive.open(p, new Limits(1000, 1000, 4));
        refused(p, "more than 3 entries", new Limits(1000, 1000, 3));
        int manifest = Trees.manifestText("storport-capture/1").length();
        refused(p, "too large for a capture: more than", new Limits(1000, manifest + 14, 10));
        CaptureArchive.open(p, new Limits(1000, manifest + 15, 10));
    }

    @Test
    public void unknownFormatVersionIsRefused() throws IOException {
        Path p = write("v99.tar.gz", Trees.gzip(Trees.tar(
                Trees.file("storport-capture.properties", Trees.manifestText("storport-capture/99")))));
        String m = refused(p, "storport-capture/99");
        assertTrue(m, m.contains("unsupported capture format"));
        Path other = write("other.tar.gz", Trees.gzip(Trees.tar(
                Trees.file("storport-capture.properties", Trees.manifestText("something-else/1")))));
        refused(other, "not a storport capture format");
    }

    @Test
    public void incompleteManifestIsRefused() throws IOException {
        String text = Trees.manifestText("storport-capture/1").replace("host=test-host\n", "");
        refused(write("nohost.tar.gz", Trees.gzip(Trees.tar(Trees.file("storport-capture.properties", text)))),
                "the manifest has no host");
        String badTime = Trees.manifestText("storport-capture/1").replace("2026-01-02T03:04:05Z", "yesterday");
        refused(write("time.tar.gz", Trees.gzip(Trees.tar(Trees.file("storport-capture.properties", badTime)))),
                "not an ISO-8601 time: yesterday");
    }

    @Test
    public void duplicateAndConflictingEntriesAreRefused() throws IOException {
        refused(write("dup.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.file("sys/a", "1"),
                Trees.file("sys/./a", "2")))), "duplicate entry sys/a");
        refused(write("dupdir.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.dir("sys/"), Trees.dir("sys")))),
                "duplicate entry sys");
        refused(write("under.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.file("sys/a", "1"),
                Trees.file("sys/a/b", "2")))), "entry sys/a/b lies inside sys/a, which is a file");
        refused(write("vialink.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.symlink("sys/l", "x"),
                Trees.file("sys/l/b", "2")))), "which is a symbolic link");
        refused(write("over.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.file("sys/a/b", "2"),
                Trees.file("sys/a", "1")))), "conflicting entries");
    }

    @Test
    public void otherEntryTypesAreRefused() throws IOException {
        refused(write("hard.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.file("sys/a", "1"),
                Trees.entry("sys/b", '1', new byte[0], "sys/a")))), "sys/b is a hard link");
        refused(write("dev.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(),
                Trees.entry("dev/sda", '4', new byte[0], "")))), "dev/sda is a device");
        refused(write("fifo.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(),
                Trees.entry("run/pipe", '6', new byte[0], "")))), "run/pipe is a FIFO");
        refused(write("weird.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(),
                Trees.entry("sys/s", 'S', new byte[0], "")))), "unknown tar type 'S'");
    }

    /** Found by TarStreamFuzzTest: pos + length overflowed and the reader indexed the array at -2147483638. */
    @Test
    public void paxRecordLengthNearIntMaxIsRefused() throws IOException {
        byte[] pax = "12 path=abc\n2147483647 x\n".getBytes(StandardCharsets.US_ASCII);
        refused(write("pax.tar.gz", Trees.gzip(Trees.tar(Trees.manifest(), Trees.entry("PaxHeader", 'x', pax, ""),
                Trees.file("sys/a", "1")))), "bad PAX extended header");
    }
}

package storport.linux;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.List;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DirectorySourceTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private FixtureTree tree;
    private DirectorySource source;
    private Path outside;

    @Before
    public void setUp() throws IOException {
        Path root = tmp.newFolder("root").toPath();
        outside = tmp.newFolder("outside").toPath();
        Files.writeString(outside.resolve("secret"), "0x010802\n");
        tree = new FixtureTree(root);
        source = new DirectorySource(root);
    }

    @Test
    public void readsThroughRelativeLinksTheWaySysfsLinksThem() throws Exception {
        FixtureTree.Pci dev = tree.nvmePci("0000:01:00.0", 0);
        assertEquals("0x010802\n", source.read("/sys/bus/pci/devices/0000:01:00.0/class"));
        assertEquals("../../../devices/pci0000:00/0000:00:01.0/0000:01:00.0", source.readLink("/sys/bus/pci/devices/0000:01:00.0"));
        // The driver link climbs from the device folder it was reached through, not from /sys/bus/pci/devices.
        assertEquals("nvme", SysfsPaths.basename(source.readLink("/sys/bus/pci/devices/0000:01:00.0/driver")));
        assertTrue(source.isDirectory("/sys/bus/pci/devices/0000:01:00.0/driver"));
        assertEquals(List.of("class", "device", "driver", "numa_node", "vendor"), source.list(dev.path()));
        assertEquals(List.of("class", "device", "driver", "numa_node", "vendor"), source.list("/sys/bus/pci/devices/0000:01:00.0"));
    }

    @Test
    public void dotDotAfterALinkClimbsFromTheTarget() throws Exception {
        tree.write("/a/b/c/file", "in c").write("/a/b/x", "in b").rawLink("/l", "a/b/c");
        assertEquals("in b\n", source.read("/l/../x"));
    }

    @Test
    public void absoluteTargetsStayInsideTheRoot() throws Exception {
        tree.write("/sys/devices/system/cpu/online", "0-3").rawLink("/sys/cpu", "/sys/devices/system/cpu");
        assertEquals("0-3\n", source.read("/sys/cpu/online"));
        tree.rawLink("/sys/etc", "/etc");
        assertFalse("the host's /etc is not the root's", source.exists("/sys/etc/passwd"));
    }

    @Test
    public void aLinkOutOfTheRootIsNeverFollowed() throws Exception {
        tree.rawLink("/sys/bus/pci/devices/0000:00:09.0", "../../../../../outside");
        assertTrue(Files.exists(tree.host("/sys/bus/pci/devices/0000:00:09.0/secret")));   // the OS would follow it
        try {
            source.read("/sys/bus/pci/devices/0000:00:09.0/secret");
            fail("read outside the root");
        } catch (LinuxInputException e) {
            assertEquals("/sys/bus/pci/devices/0000:00:09.0/secret", e.path());
            assertTrue(e.reason(), e.reason().startsWith("leads outside the root "));
        }
        assertFalse(source.exists("/sys/bus/pci/devices/0000:00:09.0/secret"));
        assertFalse(source.isDirectory("/sys/bus/pci/devices/0000:00:09.0"));
        // The link itself is there and can be read as a link.
        assertTrue(source.exists("/sys/bus/pci/devices/0000:00:09.0"));
        assertEquals("../../../../../outside", source.readLink("/sys/bus/pci/devices/0000:00:09.0"));
    }

    @Test
    public void pathsThatClimbAboveTheRootAreRefused() throws Exception {
        tree.write("/sys/x", "1");
        for (String path : new String[] {"/../outside/secret", "/sys/../../outside/secret", "relative/path"}) {
            try {
                source.read(path);
                fail(path);
            } catch (IOException e) {
                assertTrue(e.getMessage(), e instanceof LinuxInputException);
                assertTrue(e.getMessage(), e.getMessage().contains(path.startsWith("/") ? "leads outside the root" : "not an absolute path"));
                assertFalse(e.getMessage(), e.getMessage().contains("0x010802"));
            }
        }
    }

    @Test
    public void aDanglingLinkSaysWhatIsMissing() throws Exception {
        tree.link("/sys/block/vdb", "/sys/devices/pci0000:00/0000:00:07.0/virtio6/block/vdb");
        assertTrue(source.exists("/sys/block/vdb"));
        assertFalse(source.isDirectory("/sys/block/vdb"));
        try {
            source.read("/sys/block/vdb/size");
            fail();
        } catch (NoSuchFileException e) {
            assertEquals("/sys/block/vdb/size", e.getFile());
            assertEquals("/sys/devices does not exist", e.getReason());
            assertEquals("/sys/block/vdb/size: no such file: /sys/devices does not exist",
                    LinuxInputException.of("/sys/block/vdb/size", e).getMessage());
        }
    }

    @Test
    public void missingFilesNotLinksAndLoops() throws Exception {
        tree.write("/sys/x", "1").rawLink("/loop/a", "b").rawLink("/loop/b", "a");
        try {
            source.read("/sys/y");
            fail();
        } catch (NoSuchFileException e) {
            assertEquals("/sys/y", e.getFile());
        }
        try {
            source.readLink("/sys/x");
            fail();
        } catch (NotLinkException e) {
            assertEquals("/sys/x", e.getFile());
        }
        try {
            source.read("/loop/a");
            fail();
        } catch (LinuxInputException e) {
            assertEquals("/loop/a: too many levels of symbolic links", e.getMessage());
        }
        try {
            source.list("/sys/y");
            fail();
        } catch (NoSuchFileException e) {
            assertEquals("/sys/y", e.getFile());
        }
    }

    @Test
    public void directoriesAreNotFilesAndFilesAreNotDirectories() throws Exception {
        tree.write("/sys/x/file", "1");
        try {
            source.read("/sys/x");
            fail();
        } catch (LinuxInputException e) {
            assertEquals("/sys/x: is a directory, not a file", e.getMessage());
        }
        try {
            source.list("/sys/x/file");
            fail();
        } catch (java.nio.file.NotDirectoryException e) {
            assertEquals("/sys/x/file", e.getFile());
        }
        assertEquals(List.of("sys"), source.list("/"));
    }

    @Test
    public void aFileOverOneMebibyteIsRefused() throws Exception {
        tree.writeBytes("/proc/big", new byte[DirectorySource.MAX_FILE_BYTES + 1]);
        tree.writeBytes("/proc/fits", new byte[DirectorySource.MAX_FILE_BYTES]);
        assertEquals(DirectorySource.MAX_FILE_BYTES, source.read("/proc/fits").length());
        try {
            source.read("/proc/big");
            fail();
        } catch (LinuxInputException e) {
            assertEquals("/proc/big: file too large (over 1048576 bytes)", e.getMessage());
        }
    }

    @Test
    public void binaryContentDecodesWithoutFailing() throws Exception {
        tree.writeBytes("/sys/bin", new byte[] {(byte) 0xc3, (byte) 0x28, '0'});
        assertEquals("\ufffd(0", source.read("/sys/bin"));
    }

    @Test
    public void neverWrites() throws Exception {
        tree.write("/sys/x", "1");
        long before = Files.getLastModifiedTime(tree.host("/sys/x")).toMillis();
        tree.host("/sys/x").toFile().setReadOnly();
        tree.host("/sys").toFile().setReadOnly();
        try {
            assertEquals("1\n", source.read("/sys/x"));
            assertEquals(List.of("x"), source.list("/sys"));
        } finally {
            tree.host("/sys").toFile().setWritable(true);
        }
        assertEquals(before, Files.getLastModifiedTime(tree.host("/sys/x")).toMillis());
    }
}

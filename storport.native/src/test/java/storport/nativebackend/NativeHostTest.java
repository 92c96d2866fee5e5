package storport.nativebackend;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** When the native backend can answer, and the reason it gives when it cannot. */
public class NativeHostTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aRootWithCpuOnlineIsAvailable() throws Exception {
        Path root = tmp.newFolder("root").toPath();
        Files.createDirectories(root.resolve("sys/devices/system/cpu"));
        Files.writeString(root.resolve("sys/devices/system/cpu/online"), "0-3\n");
        assertNull(NativeHost.whyUnavailable(root));
    }

    @Test
    public void anEmptyRootSaysItIsNoLinuxRoot() throws Exception {
        Path root = tmp.newFolder("empty").toPath();
        assertEquals("root " + root + " has no sys/devices/system/cpu/online: not a Linux root or capture",
                NativeHost.whyUnavailable(root));
    }

    @Test
    public void aMissingRootSaysSo() {
        Path root = tmp.getRoot().toPath().resolve("nope");
        assertEquals("root " + root + " is not a directory", NativeHost.whyUnavailable(root));
    }

    @Test
    public void theLiveRootOffLinuxNamesTheOperatingSystem() {
        String os = System.getProperty("os.name");
        System.setProperty("os.name", "Mac OS X");
        try {
            String why = NativeHost.whyUnavailable(Path.of("/"));
            assertTrue(why, why.equals("the native backend reads Linux sysfs/procfs; this is Mac OS X"));
        } finally {
            System.setProperty("os.name", os);
        }
    }
}

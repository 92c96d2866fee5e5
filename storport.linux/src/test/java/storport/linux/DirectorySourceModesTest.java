package storport.linux;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A session and a trusted root answer as the checked way does; a session still never leaves the root. */
public class DirectorySourceModesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private FixtureTree tree;
    private DirectorySource plain;

    private static final List<String> PATHS = List.of("/sys/bus/pci/devices/0000:01:00.0/class", "/sys/bus/pci/devices/0000:01:00.0",
            "/sys/bus/pci/devices/0000:01:00.0/driver", "/sys/block/nvme0n1/mq/1/cpu_list", "/sys/block/nvme0n1/mq", "/sys/block",
            "/sys/block/nvme0n1/size", "/sys/block/vdb/size", "/sys/block/vdb", "/sys/missing/file", "/sys/block/nvme0n1",
            "/sys/bus/pci/devices/0000:01:00.0/nvme/nvme0/nvme0n1/mq/0/cpu_list", "/sys/bus/pci/devices/0000:00:09.0/secret",
            "/sys/block/nvme0n1/mq/0/../1/cpu_list", "/", "/sys//block");

    @Before
    public void setUp() throws IOException {
        Path root = tmp.newFolder("root").toPath();
        Path outside = tmp.newFolder("outside").toPath();
        Files.writeString(outside.resolve("secret"), "0x010802\n");
        tree = new FixtureTree(root);
        FixtureTree.Pci dev = tree.nvmePci("0000:01:00.0", 0);
        tree.nvmeDisk(dev, "nvme0", "nvme0n1", "0, 1", "2, 3");
        tree.link("/sys/block/vdb", "/sys/devices/pci0000:00/0000:00:07.0/virtio6/block/vdb");
        tree.rawLink("/sys/bus/pci/devices/0000:00:09.0", "../../../../../outside");
        plain = new DirectorySource(root);
    }

    /** Every call on every path, with its answer or its failure. */
    private static List<String> answers(SysfsSource s) {
        List<String> out = new ArrayList<>();
        for (int round = 0; round < 2; round++) {   // twice: the second time from a session's memory
            for (String p : PATHS) {
                out.add(p + " read " + call(() -> s.read(p)));
                out.add(p + " list " + call(() -> s.list(p)));
                out.add(p + " link " + call(() -> s.readLink(p)));
                out.add(p + " exists " + s.exists(p) + " dir " + s.isDirectory(p));
            }
        }
        return out;
    }

    private interface Call {
        Object run() throws IOException;
    }

    private static String call(Call c) {
        try {
            return String.valueOf(c.run());
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Test
    public void aSessionAnswersAsTheCheckedWayAndStaysInsideTheRoot() throws Exception {
        SysfsSource session = plain.session();
        assertNotSame(plain, session);
        assertEquals(answers(plain), answers(session));
        try {
            session.read("/sys/bus/pci/devices/0000:00:09.0/secret");
            fail("read outside the root");
        } catch (LinuxInputException e) {
            assertTrue(e.reason(), e.reason().startsWith("leads outside the root "));
        }
    }

    @Test
    public void aTrustedRootAnswersAsTheCheckedWayInsideIt() throws Exception {
        DirectorySource trusted = DirectorySource.trusted(tree.root);
        List<String> expected = answers(plain);
        List<String> got = answers(trusted);
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).startsWith("/sys/bus/pci/devices/0000:00:09.0/secret")) {   // the OS follows that link out
                assertEquals(expected.get(i), got.get(i));
            }
        }
        assertEquals(answers(trusted), answers(trusted.session()));
    }
}

package storport.select;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Stream;

import org.apache.felix.cm.file.FilePersistenceManager;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The three files a SIGKILL can leave inside Felix's store (write NAME.configN.tmp, delete NAME.config,
 * rename), made with Felix's own writer: each start resolves them to the old or the new configuration.
 */
public class CrashSafeConfigStoreTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static Dictionary<String, Object> config(String pid, String spec) {
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("service.pid", pid);
        d.put("spec", spec);
        return d;
    }

    /** The temporary file Felix writes next to host.config, holding {@code spec}. */
    private Path felixTemp(Path dir, String spec) throws IOException {
        Path scratch = folder.newFolder().toPath();
        new FilePersistenceManager(scratch.toString()).store("storport.sim.host", config("storport.sim.host", spec));
        Path tmp = dir.resolve("storport/sim/host.config4711.tmp");
        Files.createDirectories(tmp.getParent());
        Files.copy(scratch.resolve("storport/sim/host.config"), tmp);
        return tmp;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }

    @Test
    public void killedBetweenDeleteAndRenameTheNewConfigurationIsCompleted() throws Exception {
        Path dir = folder.newFolder().toPath();
        felixTemp(dir, "node:2 core:6 pu:2"); // host.config deleted already, the rename not done
        List<String> done = CrashSafeConfigStore.recover(dir);
        assertEquals(List.of("completed the interrupted write of storport/sim/host.config"), done);
        assertEquals(List.of(Path.of("storport/sim/host.config")), files(dir));
        assertEquals("node:2 core:6 pu:2", new FilePersistenceManager(dir.toString()).load("storport.sim.host").get("spec"));
    }

    @Test
    public void killedBeforeTheDeleteTheOldConfigurationStays() throws Exception {
        Path dir = folder.newFolder().toPath();
        FilePersistenceManager felix = new FilePersistenceManager(dir.toString());
        felix.store("storport.sim.host", config("storport.sim.host", "node:2 core:5 pu:2"));
        felixTemp(dir, "node:2 core:6 pu:2");
        CrashSafeConfigStore.recover(dir);
        assertEquals(List.of(Path.of("storport/sim/host.config")), files(dir));
        assertEquals("node:2 core:5 pu:2", felix.load("storport.sim.host").get("spec"));
    }

    @Test
    public void killedWhileWritingANewConfigurationNothingIsLeft() throws Exception {
        Path dir = folder.newFolder().toPath();
        Path tmp = felixTemp(dir, "node:2 core:6 pu:2");
        Files.write(tmp, new byte[0]); // created, not yet written
        CrashSafeConfigStore.recover(dir);
        assertEquals(List.of(), files(dir));
        assertFalse(new FilePersistenceManager(dir.toString()).exists("storport.sim.host"));
    }

    @Test
    public void aStoreWithoutTemporaryFilesIsLeftAlone() throws Exception {
        Path dir = folder.newFolder().toPath();
        FilePersistenceManager felix = new FilePersistenceManager(dir.toString());
        felix.store("storport.backends", config("storport.backends", "x"));
        assertTrue(CrashSafeConfigStore.recover(dir).isEmpty());
        assertTrue(CrashSafeConfigStore.recover(dir.resolve("missing")).isEmpty());
        assertEquals(List.of(Path.of("storport/backends.config")), files(dir));
    }
}

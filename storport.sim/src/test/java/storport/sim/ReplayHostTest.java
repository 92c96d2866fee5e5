package storport.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import storport.api.StorPortException;
import storport.api.StorStatus;

/** A capture that cannot be replayed is refused with the reason; replaying real captures is tested end to end (LauncherIT). */
public class ReplayHostTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static String refusal(Path file) {
        try {
            ReplayHost.read(file);
            fail("replaying " + file + " should be refused");
            return null;
        } catch (StorPortException e) {
            assertEquals(StorStatus.INVALID_PARAMETER, e.status());
            return e.reason();
        }
    }

    @Test
    public void aMissingFile() {
        Path file = tmp.getRoot().toPath().resolve("nope.tar.gz");
        assertEquals("cannot replay " + file + ": no such file", refusal(file));
    }

    @Test
    public void aFileThatIsNoGzip() throws Exception {
        Path file = tmp.newFile("text.tar.gz").toPath();
        Files.writeString(file, "this is not an archive\n");
        String why = refusal(file);
        assertTrue(why, why.startsWith("cannot replay " + file + ": ") && why.contains("not a gzip file"));
    }
}

package storport.shell;

import static org.junit.Assert.assertEquals;
import static storport.shell.Fixtures.error;
import static storport.shell.Fixtures.out;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import storport.api.backend.BackendInfo;
import storport.api.backend.Backends;
import storport.api.StorPortException;

public class BackendCommandTest {

    /** Three backends; select accepts only the available ones. */
    static final class TestBackends implements Backends {
        final List<String> selected = new ArrayList<>();

        @Override
        public List<BackendInfo> backends() {
            return List.of(new BackendInfo("sim", true, "", true, true), new BackendInfo("test", true, "", false, false),
                    new BackendInfo("native", false, "not a Linux host", false, false));
        }

        @Override
        public String active() {
            return "sim";
        }

        @Override
        public String preferred() {
            return "sim";
        }

        @Override
        public void select(String name) {
            if (!name.equals("sim") && !name.equals("test")) {
                throw StorPortException.invalidParameter("no backend named '" + name + "' is registered");
            }
            selected.add(name);
        }
    }

    private final TestBackends backends = new TestBackends();
    private final BackendCommand command = new BackendCommand();

    {
        command.backends = backends;
    }

    @Test
    public void listsBackendsMarkingTheActiveOne() {
        assertEquals(""
                + "* sim     active, preferred\n"
                + "  test    available\n"
                + "  native  unavailable: not a Linux host\n", out(command::backend));
    }

    @Test
    public void statusOfAPreferredButUnavailableBackend() {
        assertEquals("unavailable, preferred: gone", storport.view.Documents.Backends.status(new BackendInfo("native", false, "gone", false, true)));
        assertEquals("unavailable", storport.view.Documents.Backends.status(new BackendInfo("native", false, "", false, false)));
    }

    @Test
    public void selects() {
        assertEquals("backend: test\n", out(() -> command.backend("test")));
        assertEquals(List.of("test"), backends.selected);
        assertEquals("STOR_STATUS_INVALID_PARAMETER: no backend named 'nope' is registered", error(() -> command.backend("nope")));
    }
}

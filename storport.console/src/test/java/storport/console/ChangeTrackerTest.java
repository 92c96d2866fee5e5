package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

import storport.api.backend.BackendInfo;
import storport.api.backend.Backends;
import storport.api.Host;
import storport.api.StorPort;

public class ChangeTrackerTest {

    @Test
    public void movesOnANewSnapshotABackendChangeAndAnyConfigurationEvent() {
        ChangeTracker t = new ChangeTracker();
        AtomicReference<Host> host = new AtomicReference<>(Hosts.default80());
        StorPort sim = new StorPort() {
            @Override
            public String backend() {
                return "sim";
            }

            @Override
            public Host host() {
                return host.get();
            }
        };
        AtomicReference<List<BackendInfo>> infos = new AtomicReference<>(List.of(new BackendInfo("sim", true, "", true, true)));
        t.bindBackends(new Backends() {
            @Override
            public List<BackendInfo> backends() {
                return infos.get();
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
            }
        });
        t.bindStorport(sim);
        long v = t.version();
        assertEquals("stable while nothing changes", v, t.version());
        assertEquals(v, t.version());

        host.set(Hosts.default80());
        long v2 = t.version();
        assertTrue("a new snapshot", v2 > v);
        assertEquals(v2, t.version());

        infos.set(List.of(new BackendInfo("sim", true, "", true, true), new BackendInfo("native", false, "gone", false, false)));
        long v3 = t.version();
        assertTrue("the backends changed", v3 > v2);

        t.configurationEvent(null);
        long v4 = t.version();
        assertTrue("a configuration event", v4 > v3);

        t.unbindStorport(sim);
        assertTrue("no backend", t.version() > v4);
    }
}

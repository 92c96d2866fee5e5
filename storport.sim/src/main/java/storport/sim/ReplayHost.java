package storport.sim;

import java.nio.file.Path;

import storport.api.Host;
import storport.api.StorPortException;
import storport.capture.CapturedHost;

/**
 * A captured real host read the way the native backend read it there: the same scanner over the
 * archive, so the simulator answers exactly as that host did.
 */
final class ReplayHost {
    private ReplayHost() {
    }

    /**
     * @throws StorPortException INVALID_PARAMETER for a missing, corrupt or foreign capture, with the reason
     */
    static Host read(Path capture) {
        Host host = CapturedHost.read(capture, "replay");
        return new Host(SimHostFactory.BACKEND, host.topology(), host.adapters());
    }
}

package storport.sim;

import java.io.IOException;
import java.nio.file.Path;

import storport.api.Host;
import storport.api.StorPortException;
import storport.capture.CaptureArchive;
import storport.linux.LinuxHostScanner;

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
        CaptureArchive archive;
        try {
            archive = CaptureArchive.open(capture);
        } catch (java.nio.file.NoSuchFileException e) {
            throw StorPortException.invalidParameter("cannot replay " + capture + ": no such file");
        } catch (IOException e) {
            throw StorPortException.invalidParameter("cannot replay " + capture + ": " + reason(e));
        }
        try {
            Host host = new LinuxHostScanner().scan(archive);
            return new Host(SimHostFactory.BACKEND, host.topology(), host.adapters());
        } catch (IOException e) {
            throw StorPortException.invalidParameter("cannot replay " + archive.describe() + ": " + reason(e));
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}

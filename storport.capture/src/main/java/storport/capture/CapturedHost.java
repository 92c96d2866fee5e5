package storport.capture;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import storport.api.Host;
import storport.api.StorPortException;
import storport.linux.LinuxHostScanner;

/**
 * A capture read back as the host it was: the native backend's scanner over the archive, so it
 * answers exactly as that host did (the simulator replays it, {@code storport:diff} compares with it).
 */
public final class CapturedHost {
    private CapturedHost() {
    }

    /**
     * @param purpose what the caller does with it, for the refusal: {@code cannot <purpose> <file>: <reason>}
     * @return the host, backend {@value LinuxHostScanner#BACKEND}
     * @throws StorPortException INVALID_PARAMETER for a missing, corrupt or foreign capture, with the reason
     */
    public static Host read(Path capture, String purpose) {
        CaptureArchive archive;
        try {
            archive = CaptureArchive.open(capture);
        } catch (NoSuchFileException e) {
            throw StorPortException.invalidParameter("cannot " + purpose + " " + capture + ": no such file");
        } catch (IOException e) {
            throw StorPortException.invalidParameter("cannot " + purpose + " " + capture + ": " + reason(e));
        }
        try {
            return new LinuxHostScanner().scan(archive);
        } catch (IOException e) {
            throw StorPortException.invalidParameter("cannot " + purpose + " " + archive.describe() + ": " + reason(e));
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}

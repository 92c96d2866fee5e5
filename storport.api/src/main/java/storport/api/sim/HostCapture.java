package storport.api.sim;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

import storport.api.Host;
import storport.api.StorPortException;

/**
 * Captures the host a backend reads: exactly its input files (for the native backend, the sysfs and
 * procfs files of DESIGN section 6, symlinks kept relative) plus a small manifest, as a
 * {@code .tar.gz}. A capture replays through {@link SimulatorControl#replay(String, Path)}, or
 * unpacked as the native backend's root, and answers exactly as the host did; read back with
 * {@link #baseline(Path)}, it is the host to compare this one with after a kernel upgrade or a BIOS change.
 */
@ProviderType
public interface HostCapture {

    /**
     * Writes the capture; never overwrites an existing file, never leaves a partial one.
     *
     * @return a one-line summary (entries, host, time)
     * @throws StorPortException INVALID_PARAMETER when the file exists or its folder does not;
     *                           UNSUCCESSFUL when the host cannot be read or the file not written
     */
    String capture(Path file);

    /**
     * Reads a capture as the host it was: its topology and adapters as the native backend read them
     * there (backend {@code native}). Reads only the file.
     *
     * @param file a capture written by {@link #capture(Path)}
     * @throws StorPortException INVALID_PARAMETER for a missing, corrupt or foreign file, with the reason
     * @since 1.1
     */
    Host baseline(Path file);
}

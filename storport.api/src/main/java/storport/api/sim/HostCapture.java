package storport.api.sim;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

import storport.api.StorPortException;

/**
 * Captures the host a backend reads: exactly its input files (for the native backend, the sysfs and
 * procfs files of DESIGN section 6, symlinks kept relative) plus a small manifest, as a
 * {@code .tar.gz}. A capture replays through {@link SimulatorControl#replay(String, Path)}, or
 * unpacked as the native backend's root, and answers exactly as the host did.
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
}

package storport.nativebackend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import storport.api.Host;
import storport.api.sim.HostCapture;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.capture.CaptureException;
import storport.capture.CaptureInfo;
import storport.capture.CaptureWriter;
import storport.capture.CapturedHost;
import storport.linux.SysfsSource;

/**
 * Captures exactly the files the native backend reads from its root (and the few more that reference
 * tools such as lstopo and lsirq read), so the capture replays exactly as this host answered; reads
 * one back as the baseline a later host is compared with.
 */
@Component
public class NativeCapture implements HostCapture {
    private final NativeHost nativeHost;
    private final String version;

    @Activate
    public NativeCapture(@Reference NativeHost nativeHost, BundleContext context) {
        this.nativeHost = nativeHost;
        this.version = context.getBundle().getVersion().toString();
    }

    @Override
    public String capture(Path file) {
        SysfsSource source = nativeHost.source();
        CaptureInfo info = CaptureInfo.of(hostName(source), kernel(source), Instant.now(), version);
        try {
            CaptureInfo written = new CaptureWriter().write(source, nativeHost::readEverything, file, info);
            return "captured " + written.entries() + " entries of host " + written.host() + " (" + written.root() + ") into "
                    + file;
        } catch (FileAlreadyExistsException e) {
            throw StorPortException.invalidParameter(file + " exists; choose another name (a capture never overwrites)");
        } catch (NoSuchFileException e) {
            throw StorPortException.invalidParameter("the folder of " + file + " does not exist");
        } catch (CaptureException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot capture: " + e.getMessage());
        } catch (IOException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot write " + file + ": " + e.getMessage());
        } catch (UncheckedIOException | StorPortException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot read the host to capture: " + e.getMessage());
        }
    }

    @Override
    public Host baseline(Path file) {
        return CapturedHost.read(file, "read the baseline");
    }

    /** The live host's own name; a captured tree is named after its folder. */
    private static String hostName(SysfsSource source) {
        if (!"/".equals(source.describe())) {
            return "tree " + source.describe();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String kernel(SysfsSource source) {
        return "/".equals(source.describe()) ? System.getProperty("os.name") + " " + System.getProperty("os.version") : "unknown";
    }
}

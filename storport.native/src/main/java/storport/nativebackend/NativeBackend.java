package storport.nativebackend;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import storport.api.Host;
import storport.api.InterruptCounts;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.linux.InterruptCounter;
import storport.linux.LinuxInputException;

/**
 * The real host as a {@link StorPort} backend. Disabled until {@link NativeHost} has read a host;
 * consumers reach it through the backend selector's dispatch, which switches in memory.
 */
@Component(enabled = false, property = StorPort.BACKEND + "=" + NativeBackend.NAME)
public class NativeBackend implements StorPort {
    static final String NAME = "native";

    /** Final: a call still running while SCR deactivates this instance keeps answering. */
    private final NativeHost nativeHost;

    @Activate
    public NativeBackend(@Reference NativeHost nativeHost) {
        this.nativeHost = nativeHost;
    }

    @Override
    public String backend() {
        return NAME;
    }

    @Override
    public Host host() {
        return nativeHost.host();
    }

    @Override
    public Host refresh() {
        return nativeHost.rescan();
    }

    /** The adapter's IRQs' per_cpu_count files (or /proc/interrupts on kernels without them), read now. */
    @Override
    public InterruptCounts interruptCounts(String adapter) {
        Host host = nativeHost.host();
        host.adapter(adapter);
        try {
            return InterruptCounter.read(nativeHost.source(), host, adapter);
        } catch (LinuxInputException e) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "cannot read the interrupt counts: " + e.getMessage());
        }
    }
}

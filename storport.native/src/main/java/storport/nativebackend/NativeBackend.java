package storport.nativebackend;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import storport.api.Host;
import storport.api.StorPort;

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
}

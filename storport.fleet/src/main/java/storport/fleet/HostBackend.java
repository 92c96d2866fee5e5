package storport.fleet;

import storport.api.Host;
import storport.api.StorPort;

/**
 * A fleet host as a read-only backend {@code host:<host>}: it answers from the host's latest accepted
 * snapshot, as a replayed capture does; a newer snapshot replaces it at once.
 */
final class HostBackend implements StorPort {
    private final String name;
    private volatile Host host;

    HostBackend(String name, Host host) {
        this.name = name;
        this.host = host;
    }

    void update(Host newer) {
        host = newer;
    }

    @Override
    public String backend() {
        return name;
    }

    @Override
    public Host host() {
        return host;
    }
}

package storport.api.backend;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether a backend can answer on this platform, and why not. A backend that may be unavailable
 * (the native backend off Linux, or on a root without {@code /sys}) registers this service whether
 * or not it also registers {@link StorPort}, so {@link Backends} can list it with the reason.
 */
@ProviderType
public interface BackendStatus {

    /** The backend's name, as in the {@value StorPort#BACKEND} property of its {@link StorPort} service. */
    String backend();

    /** Why the backend is unavailable now, or null when it is available. */
    String unavailableReason();
}

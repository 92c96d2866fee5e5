package storport.view;

import storport.api.StorPortException;
import storport.api.StorStatus;

/** A service the shell or the console binds dynamically, which may be absent for an instant (a backend swap) or for good. */
public final class Bound {
    private Bound() {
    }

    /**
     * The service, or INVALID_DEVICE_STATE with {@code absent} as the reason when there is none.
     *
     * @param absent what the user reads, e.g. {@code "the simulator is not running"}
     */
    public static <T> T present(T service, String absent) {
        if (service == null) {
            throw new StorPortException(StorStatus.INVALID_DEVICE_STATE, absent);
        }
        return service;
    }
}

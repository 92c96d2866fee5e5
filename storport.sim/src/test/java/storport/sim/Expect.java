package storport.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import storport.api.StorPortException;
import storport.api.StorStatus;

final class Expect {
    private Expect() {
    }

    /** Runs {@code r}, expects INVALID_PARAMETER whose reason contains every fragment. */
    static StorPortException invalid(Runnable r, String... fragments) {
        try {
            r.run();
        } catch (StorPortException e) {
            assertEquals("status of: " + e.getMessage(), StorStatus.INVALID_PARAMETER, e.status());
            for (String f : fragments) {
                assertTrue("'" + e.reason() + "' should mention '" + f + "'", e.reason().contains(f));
            }
            return e;
        }
        fail("expected STOR_STATUS_INVALID_PARAMETER");
        return null;
    }
}

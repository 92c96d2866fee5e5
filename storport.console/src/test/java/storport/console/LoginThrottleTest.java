package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class LoginThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(now::get, 1);

    @Test
    public void freeFailuresThenADoublingBackOffPerAddress() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertEquals(0, throttle.failed("a", "admin"));
            assertEquals(0, throttle.retryAfterSeconds("a"));
        }
        assertEquals(1, throttle.failed("a", "admin"));
        assertEquals(1, throttle.retryAfterSeconds("a"));
        now.addAndGet(1000);
        assertEquals(0, throttle.retryAfterSeconds("a"));
        assertEquals(2, throttle.failed("a", "admin"));
        assertEquals(4, throttle.failed("a", "admin"));
        assertEquals(0, throttle.retryAfterSeconds("b"));
        throttle.heldBack("a");
        assertEquals("an attempt while waiting doubles the wait", 8, throttle.retryAfterSeconds("a"));
        throttle.heldBack("b");
        assertEquals("an address that never failed is not held", 0, throttle.retryAfterSeconds("b"));
        for (int i = 0; i < 40; i++) {
            throttle.failed("a", "admin");
        }
        assertEquals(LoginThrottle.MAX_BACKOFF_SECONDS, throttle.retryAfterSeconds("a"));
        throttle.succeeded("a");
        assertEquals(0, throttle.retryAfterSeconds("a"));
    }

    @Test
    public void anAccountUnderAttackGivesNewAddressesNoFreeFailures() {
        for (int i = 0; i < LoginThrottle.USER_ALERT - 1; i++) {
            throttle.failed("10.0.0." + i, "admin");
        }
        assertEquals(0, throttle.retryAfterSeconds("10.0.0.1"));
        assertEquals("the alert's own failure already waits", 1, throttle.failed("10.0.1.1", "admin"));
        assertEquals(1, throttle.failed("10.0.1.2", "admin"));
        assertEquals("an address that never failed may still try", 0, throttle.retryAfterSeconds("10.0.9.9"));
        assertEquals(0, throttle.failed("10.0.1.3", "other"));
        now.addAndGet(LoginThrottle.WINDOW_SECONDS * 1000L + 1);
        assertEquals("a new window", 0, throttle.failed("10.0.1.4", "admin"));
    }

    @Test
    public void oneCheckInFlightPerAddressAndALaneKeptForAddressesThatLoggedIn() throws Exception {
        throttle.succeeded("owner");
        LoginThrottle.Permit a = throttle.enter("attacker", 0);
        assertNotNull(a);
        assertNull("one check at a time per address", throttle.enter("attacker", 0));
        assertNull("the one shared lane is taken", throttle.enter("stranger", 50));
        LoginThrottle.Permit owner = throttle.enter("owner", 0);
        assertNotNull("the owner's address has its own lane", owner);
        owner.close();
        a.close();
        LoginThrottle.Permit s = throttle.enter("stranger", 0);
        assertNotNull(s);
        s.close();
    }

    @Test
    public void aParallelAttemptOfAnAddressThatFailedCountsAsHeldBack() {
        throttle.failed("flooder", "admin");
        assertEquals(0, throttle.retryAfterSeconds("flooder"));
        throttle.contended("flooder");
        assertTrue("a parallel attempt after a wrong password is held back", throttle.retryAfterSeconds("flooder") >= 1);
        throttle.contended("fresh");
        assertEquals("an address that never failed: nothing", 0, throttle.retryAfterSeconds("fresh"));
        throttle.succeeded("owner");
        throttle.contended("owner");
        assertEquals("an address that logged in: nothing", 0, throttle.retryAfterSeconds("owner"));
    }

    @Test
    public void refusalsOfAnAddressAreLoggedOncePerPeriodWithTheCountLeftOut() {
        assertEquals("the first is logged", 0, throttle.report("flooder", "busy"));
        assertEquals("then not, for a while", -1, throttle.report("flooder", "busy"));
        assertEquals(-1, throttle.report("flooder", "busy"));
        assertEquals("another kind has its own", 0, throttle.report("flooder", "held back"));
        assertEquals("another address has its own", 0, throttle.report("other", "busy"));
        now.addAndGet(LoginThrottle.REPORT_SECONDS * 1000L);
        assertEquals("the next entry says how many were left out", 2, throttle.report("flooder", "busy"));
    }
}

package storport.console;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Slows password guessing without locking the owner out. Every check of a password costs a
 * 600,000-iteration PBKDF2 (most of a core for 150 ms), so both the guesses and the CPU are bounded:
 * <ul>
 * <li>per client address: {@value #FREE_FAILURES} wrong passwords are free, then each further one
 * doubles the wait before the next attempt is even looked at (1 s, 2 s, ... up to
 * {@value #MAX_BACKOFF_SECONDS} s), answered with {@code Retry-After} and no hashing; an attempt made
 * while the address waits doubles it again (a client that hammers stays out); one check in flight per
 * address;</li>
 * <li>per user: once the account has seen {@value #USER_ALERT} wrong passwords in
 * {@value #WINDOW_SECONDS} s from anywhere, an address gets no free failures any more (a guess from
 * many addresses costs each of them the back-off at once); an address that never failed is never
 * held back by this, so the owner can still log in;</li>
 * <li>CPU: at most {@link #lanes} checks at a time for addresses that never logged in, and one more
 * lane kept for addresses that did, so a flood of wrong passwords leaves a correct login waiting at
 * most one check.</li>
 * </ul>
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final int MAX_BACKOFF_SECONDS = 900;
    static final int USER_ALERT = 20;
    static final int WINDOW_SECONDS = 600;
    /** At most one log entry per address for its refusals in this many seconds. */
    static final int REPORT_SECONDS = 10;
    /** How many addresses are remembered; the oldest are forgotten first. */
    private static final int MAX_ADDRESSES = 10_000;

    /** What an address did lately. */
    private record Address(int failures, long blockedUntil, long lastSeen, boolean trusted) {
    }

    /** When a kind of refusal of an address was last logged, and how many of them were not since. */
    private record Report(long at, int unreported) {
    }

    /** The account's wrong passwords in the current window. */
    private record Account(int failures, long windowStart) {
    }

    /** An admitted check: close it when the password has been compared. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final LongSupplier clock;
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    /** By kind and address; the least recently reported are forgotten first. */
    private final Map<String, Report> reports = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Report> eldest) {
            return size() > MAX_ADDRESSES;
        }
    });
    private final Semaphore lanes;
    private final Semaphore trustedLane = new Semaphore(1);

    LoginThrottle() {
        this(System::currentTimeMillis, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    LoginThrottle(LongSupplier clock, int lanes) {
        this.clock = clock;
        this.lanes = new Semaphore(lanes, true);
    }

    /** Seconds this address must wait before a password of it is checked again; 0 when it may try now. */
    long retryAfterSeconds(String address) {
        Address a = addresses.get(address);
        long now = clock.getAsLong();
        if (a == null || a.blockedUntil() <= now) {
            return 0;
        }
        return Math.max(1, (a.blockedUntil() - now + 999) / 1000);
    }

    /**
     * A permit to check one password of this address, waiting up to {@code waitMillis} for a free lane;
     * null when the address already has a check in flight or no lane came free.
     */
    Permit enter(String address, long waitMillis) throws InterruptedException {
        if (inFlight.putIfAbsent(address, Boolean.TRUE) != null) {
            return null;
        }
        Address a = addresses.get(address);
        Semaphore lane = a != null && a.trusted() && trustedLane.tryAcquire() ? trustedLane : lanes;
        if (lane == lanes && !lanes.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
            inFlight.remove(address);
            return null;
        }
        return () -> {
            lane.release();
            inFlight.remove(address);
        };
    }

    /** A wrong password from this address for this user: returns the seconds it must now wait (0: none). */
    long failed(String address, String user) {
        long now = clock.getAsLong();
        Account account = accounts.compute(user == null ? "" : user, (k, old) -> old == null || now - old.windowStart() > WINDOW_SECONDS * 1000L
                ? new Account(1, now) : new Account(old.failures() + 1, old.windowStart()));
        int free = account.failures() >= USER_ALERT ? 0 : FREE_FAILURES;
        Address a = addresses.compute(address, (k, old) -> {
            int failures = old == null ? 1 : old.failures() + 1;
            long blockedUntil = 0;
            if (failures > free) {
                int doublings = Math.min(30, failures - free - 1);
                blockedUntil = now + Math.min(MAX_BACKOFF_SECONDS * 1000L, 1000L << doublings);
            }
            return new Address(failures, blockedUntil, now, old != null && old.trusted());
        });
        forgetOldest();
        return a.blockedUntil() > now ? retryAfterSeconds(address) : 0;
    }

    /** An attempt while the address waits: it counts as one more failure, so the wait doubles. */
    void heldBack(String address) {
        long now = clock.getAsLong();
        addresses.computeIfPresent(address, (k, old) -> {
            int failures = old.failures() + 1;
            int doublings = Math.min(30, Math.max(0, failures - FREE_FAILURES - 1));
            return new Address(failures, Math.max(old.blockedUntil(), now + Math.min(MAX_BACKOFF_SECONDS * 1000L, 1000L << doublings)),
                    now, old.trusted());
        });
    }

    /**
     * An attempt refused because a check of the same address was running: from an address that has
     * already given a wrong password (and never logged in), that is a flood in parallel, since a
     * person types one password at a time, and it counts as held back ({@link #heldBack}). Parallel
     * requests of a client that logged in, or that never failed, count nothing.
     */
    void contended(String address) {
        Address a = addresses.get(address);
        if (a != null && a.failures() > 0 && !a.trusted()) {
            heldBack(address);
        }
    }

    /**
     * Whether a refusal of this kind for this address is to be logged now: the first, then at most one
     * every {@value #REPORT_SECONDS} s, so a flood of attempts cannot flood the log (and push the events
     * that matter out of it). Returns -1 when not, else how many went unlogged since the last entry.
     */
    int report(String address, String kind) {
        long now = clock.getAsLong();
        int[] unreported = { -1 };
        reports.compute(kind + " " + address, (k, old) -> {
            if (old != null && now - old.at() < REPORT_SECONDS * 1000L) {
                return new Report(old.at(), old.unreported() + 1);
            }
            unreported[0] = old == null ? 0 : old.unreported();
            return new Report(now, 0);
        });
        return unreported[0];
    }

    /** A correct password from this address: its failures are forgiven, and it gets the kept lane from now on. */
    void succeeded(String address) {
        addresses.put(address, new Address(0, 0, clock.getAsLong(), true));
        forgetOldest();
    }

    /** Wrong passwords the account has seen in the current window. */
    int accountFailures(String user) {
        Account a = accounts.get(user);
        return a == null || clock.getAsLong() - a.windowStart() > WINDOW_SECONDS * 1000L ? 0 : a.failures();
    }

    private void forgetOldest() {
        if (addresses.size() <= MAX_ADDRESSES) {
            return;
        }
        long cutoff = clock.getAsLong() - WINDOW_SECONDS * 1000L;
        for (Iterator<Map.Entry<String, Address>> it = addresses.entrySet().iterator(); it.hasNext();) {
            Address a = it.next().getValue();
            if (a.lastSeen() < cutoff && a.blockedUntil() < clock.getAsLong()) {
                it.remove();
            }
        }
    }
}

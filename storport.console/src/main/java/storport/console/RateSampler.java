package storport.console;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import storport.api.InterruptCounts;
import storport.api.StorPort;
import storport.api.StorPortException;
import storport.api.StorStatus;
import storport.view.Rates;

/**
 * Live rates for the console's heatmap: each call reads the adapter's counters once and answers
 * the rates since the previous call for that adapter, so a page polling every second sees the
 * last second. A first call, or one after a long pause or a change of host, measures a short
 * interval of its own.
 */
final class RateSampler {
    static final long FIRST_INTERVAL_MILLIS = 250;
    static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Map<String, InterruptCounts> last = new ConcurrentHashMap<>();

    Rates since(StorPort storport, String adapter) {
        InterruptCounts now = storport.interruptCounts(adapter);
        InterruptCounts before = last.put(now.adapter(), now);
        if (before != null && now.nanoTime() - before.nanoTime() < STALE_NANOS && now.nanoTime() > before.nanoTime()) {
            try {
                return Rates.of(before, now);
            } catch (StorPortException changedShape) {
                // the host changed since the last call: measure afresh below
            }
        }
        try {
            Thread.sleep(FIRST_INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorPortException(StorStatus.UNSUCCESSFUL, "interrupted while measuring");
        }
        InterruptCounts after = storport.interruptCounts(adapter);
        last.put(after.adapter(), after);
        return Rates.of(now, after);
    }
}

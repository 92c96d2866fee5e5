package storport.view;

import java.util.List;

import storport.api.Host;

/**
 * The findings of the last snapshot asked about: a snapshot is immutable, so its findings are
 * computed once and an unchanged snapshot costs an identity check and no allocation. One per
 * consumer (a component's field); safe for concurrent callers, who at worst both compute.
 */
public final class FindingsCache {
    private record Entry(Host host, List<Findings.Finding> findings) {
    }

    private volatile Entry last;

    /** {@link Findings#of(Host)}, from the cache when {@code host} is the snapshot asked about last. */
    public List<Findings.Finding> of(Host host) {
        Entry e = last;
        if (e != null && e.host() == host) {
            return e.findings();
        }
        List<Findings.Finding> findings = Findings.of(host);
        last = new Entry(host, findings);
        return findings;
    }
}

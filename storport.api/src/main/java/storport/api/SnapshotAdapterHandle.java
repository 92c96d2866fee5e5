package storport.api;

/**
 * The default {@link AdapterHandle}: asks its service for the current snapshot on every call and
 * resolves the name again only when the snapshot changed. The fast path is the successful lookup;
 * every other outcome is answered by {@link Host} itself, so statuses and reasons match the by-name
 * forms exactly.
 */
final class SnapshotAdapterHandle implements AdapterHandle {
    /** A constant, where {@code StorStatus.SUCCESS.code()} would be a field load on every call. */
    private static final int SUCCESS = StorStatus.SUCCESS.code();
    /** The map of an unknown or unavailable adapter: every index misses the fast path. */
    private static final int[] NONE = new int[0];

    /** A name resolved on one snapshot. Immutable, so publishing it through a plain field is safe. */
    private static final class Resolved {
        final Host host;
        final Adapter adapter;     // null: the snapshot has no such adapter
        final int[] map;           // the adapter's precomputed answers; NONE when unknown or unavailable

        Resolved(Host host, String name) {
            this.host = host;
            this.adapter = host == null ? null : host.find(name);
            this.map = adapter == null || adapter.unavailableReason() != null ? NONE : adapter.messageMap();
        }
    }

    private final StorPort storport;
    private final String name;
    /**
     * Plain, not volatile: a racing thread at worst resolves once more. Final fields make a
     * Resolved seen through a data race complete.
     */
    private Resolved resolved;

    SnapshotAdapterHandle(StorPort storport, String name) {
        this.storport = storport;
        this.name = name;
        this.resolved = new Resolved(null, name);
    }

    private Resolved resolve(Host host) {
        Resolved r = resolved;
        if (r.host != host) {
            r = new Resolved(host, name); // only after a swap
            resolved = r;
        }
        return r;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int getMessageInterruptIdFromProcessorIndex(int processorIndex, ULongHolder messageInterruptId) {
        Host host = storport.host();
        int[] map = resolve(host).map;
        if (processorIndex >= 0 && processorIndex < map.length && messageInterruptId != null) {
            int m = map[processorIndex];
            if (m >= 0) {
                messageInterruptId.value = m;
                return SUCCESS;
            }
        }
        return host.getMessageInterruptIdFromProcessorIndex(name, processorIndex, messageInterruptId);
    }

    @Override
    public int messageInterruptId(long processorIndex) {
        Host host = storport.host();
        int[] map = resolve(host).map;
        if (processorIndex >= 0 && processorIndex < map.length) {
            int m = map[(int) processorIndex];
            if (m >= 0) {
                return m;
            }
        }
        return host.messageInterruptId(name, processorIndex);
    }

    @Override
    public Adapter adapter() {
        Host host = storport.host();
        Adapter a = resolve(host).adapter;
        return a != null ? a : host.adapter(name);
    }

    @Override
    public String toString() {
        return "AdapterHandle[" + name + " on " + storport.backend() + "]";
    }
}

package storport.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a backend knows about one host at one moment: topology and adapters. Immutable; a
 * backend publishes a new {@code Host} when anything changes, so all answers from one instance are
 * consistent with each other.
 */
public final class Host {
    private final String backend;
    private final Topology topology;
    private final List<Adapter> adapters;
    private final Map<String, Adapter> byName;
    private final long nanoTime = System.nanoTime();

    /**
     * @throws StorPortException INVALID_PARAMETER when two adapters share an id or alias
     */
    public Host(String backend, Topology topology, List<Adapter> adapters) {
        this.backend = Objects.requireNonNull(backend);
        this.topology = Objects.requireNonNull(topology);
        List<Adapter> sorted = new ArrayList<>(adapters);
        sorted.sort(Comparator.comparing(Adapter::id));
        this.adapters = List.copyOf(sorted);
        Map<String, Adapter> names = new HashMap<>();
        for (Adapter a : sorted) {
            claim(names, a.id(), a);
            for (String alias : new java.util.LinkedHashSet<>(a.aliases())) {
                if (!alias.equals(a.id())) {
                    claim(names, alias, a);
                }
            }
        }
        this.byName = Map.copyOf(names);
    }

    private static void claim(Map<String, Adapter> names, String name, Adapter a) {
        Adapter other = names.putIfAbsent(name, a);
        if (other != null) {
            throw StorPortException.invalidParameter("adapters " + other.id() + " and " + a.id() + " both answer to '" + name + "'");
        }
    }

    /**
     * When this snapshot was made, in {@link System#nanoTime()} terms: a backend makes a new one when
     * it reads the host and finds it changed (or on {@link StorPort#refresh()}), so its age is how long
     * the answers have been the same.
     *
     * @since 2.2
     */
    public long nanoTime() {
        return nanoTime;
    }

    /** The backend that made this snapshot. */
    public String backend() {
        return backend;
    }

    public Topology topology() {
        return topology;
    }

    /** The adapters, ascending by id. */
    public List<Adapter> adapters() {
        return adapters;
    }

    /** The adapter with this id or alias, or null. */
    public Adapter find(String idOrAlias) {
        return idOrAlias == null ? null : byName.get(idOrAlias);
    }

    /**
     * The adapter with this id or alias.
     *
     * @throws StorPortException INVALID_PARAMETER for a null or unknown name
     */
    public Adapter adapter(String idOrAlias) {
        if (idOrAlias == null) {
            throw StorPortException.invalidParameter("no adapter given");
        }
        Adapter a = byName.get(idOrAlias);
        if (a == null) {
            throw StorPortException.invalidParameter("unknown adapter '" + idOrAlias + "' on backend " + backend + " (adapters: "
                    + String.join(", ", adapters.stream().map(Adapter::id).toList()) + ")");
        }
        return a;
    }

    /**
     * {@code StorPortGetMessageInterruptIDFromProcessorIndex}, status-code form. Allocation-free.
     *
     * @param adapter            the adapter's id or alias (the {@code HwDeviceExtension})
     * @param processorIndex     a processor index, unsigned
     * @param messageInterruptId receives the message ID on success
     * @return SUCCESS; INVALID_PARAMETER for a null or unknown adapter, a null holder or an index
     *         outside {@code 0..n-1}; UNSUCCESSFUL when no message serves the processor or the
     *         adapter is unavailable
     */
    public int getMessageInterruptIdFromProcessorIndex(String adapter, int processorIndex, ULongHolder messageInterruptId) {
        Adapter a = adapter == null ? null : byName.get(adapter);
        if (a == null || messageInterruptId == null || !topology.isValidIndex(processorIndex)) {
            return StorStatus.INVALID_PARAMETER.code();
        }
        int m = a.messageOf(processorIndex);
        if (m < 0) {
            return StorStatus.UNSUCCESSFUL.code();
        }
        messageInterruptId.value = m;
        return StorStatus.SUCCESS.code();
    }

    /**
     * {@code StorPortGetMessageInterruptIDFromProcessorIndex}, idiomatic form.
     *
     * @param processorIndex a processor index; a long so that out-of-range input keeps its value in the error
     * @throws StorPortException with the status the status-code form would return, and the reason
     */
    public int messageInterruptId(String adapter, long processorIndex) {
        Adapter a = adapter(adapter);
        if (processorIndex < 0 || processorIndex >= topology.processorCount()) {
            throw StorPortException.invalidParameter(topology.indexOutOfRange(processorIndex));
        }
        return a.messageInterruptId(processorIndex);
    }
}

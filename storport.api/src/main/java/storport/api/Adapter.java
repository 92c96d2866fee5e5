package storport.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A storage adapter's message interrupts on one host snapshot: immutable.
 *
 * <p>Which message serves processor p, the rule every backend follows:
 * <ol>
 * <li>the message the adapter uses to complete I/O submitted on p (the backend's primary map);
 * <li>otherwise the lowest message in the redirection range whose targets contain p;
 * <li>otherwise UNSUCCESSFUL with a reason, never a guess.
 * </ol>
 * The answer for every processor is precomputed, so a lookup is one array read.
 */
public final class Adapter {
    /** MSI-X allows at most this many messages per PCI function. */
    public static final int MAX_MESSAGES = 2048;

    private final String id;
    private final List<String> aliases;
    private final int node;
    private final String driver;
    private final String policy;
    private final int firstRedirection;
    private final int lastRedirection;
    private final List<MessageInterrupt> messages;
    private final int[] messageOfProcessor;   // -1: no message serves the processor
    private final String unavailable;         // non-null: the backend lost the device

    private Adapter(Builder b, int[] messageOfProcessor) {
        this.id = b.id;
        this.aliases = List.copyOf(b.aliases);
        this.node = b.node;
        this.driver = b.driver;
        this.policy = b.policy;
        this.firstRedirection = b.firstRedirection;
        this.lastRedirection = b.lastRedirection;
        this.messages = List.copyOf(b.messages);
        this.messageOfProcessor = messageOfProcessor;
        this.unavailable = b.unavailable;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** The adapter id (a name on the simulator, the PCI address natively). */
    public String id() {
        return id;
    }

    /** Other names that select this adapter, e.g. {@code vda} or {@code nvme0}. */
    public List<String> aliases() {
        return aliases;
    }

    /** The NUMA node of the device, or -1 when unknown. */
    public int node() {
        return node;
    }

    /** The driver bound to the device, or the empty string. */
    public String driver() {
        return driver;
    }

    /** How the processor -> message map was made, e.g. {@code numa-spread} or {@code blk-mq}. */
    public String policy() {
        return policy;
    }

    /** The number of granted messages. */
    public int messageCount() {
        return messages.size();
    }

    /** {@code PERF_CONFIGURATION_DATA.FirstRedirectionMessageNumber}. */
    public int firstRedirectionMessage() {
        return firstRedirection;
    }

    /** {@code PERF_CONFIGURATION_DATA.LastRedirectionMessageNumber}. */
    public int lastRedirectionMessage() {
        return lastRedirection;
    }

    /** Every message by id ({@code messages().get(id).messageId() == id}). */
    public List<MessageInterrupt> messages() {
        return messages;
    }

    /**
     * {@code StorPortGetMSIInfo}.
     *
     * @throws StorPortException INVALID_PARAMETER for a message id outside {@code 0..count-1}
     */
    public MessageInterrupt message(int messageId) {
        if (messageId < 0 || messageId >= messages.size()) {
            throw StorPortException.invalidParameter("message " + messageId + " is outside 0.." + (messages.size() - 1)
                    + " of adapter " + id);
        }
        return messages.get(messageId);
    }

    /** Why the backend cannot answer for this adapter any more, or null while it can. */
    public String unavailableReason() {
        return unavailable;
    }

    /**
     * The seed call's answer, allocation-free: the message serving processor {@code index}, or -1
     * when the index is invalid, no message serves it, or the adapter is unavailable.
     */
    public int messageOf(int index) {
        return index >= 0 && index < messageOfProcessor.length && unavailable == null ? messageOfProcessor[index] : -1;
    }

    /** The precomputed answers, shared, not copied: only for {@link SnapshotAdapterHandle}, which never writes it. */
    int[] messageMap() {
        return messageOfProcessor;
    }

    /**
     * {@code StorPortGetMessageInterruptIDFromProcessorIndex}, idiomatic form.
     *
     * @throws StorPortException INVALID_PARAMETER for an index outside {@code 0..n-1}; UNSUCCESSFUL
     *                           when the adapter has no message serving it or is unavailable
     */
    public int messageInterruptId(long index) {
        if (index < 0 || index >= messageOfProcessor.length) {
            throw StorPortException.invalidParameter("processor index " + index + " is outside 0.."
                    + (messageOfProcessor.length - 1));
        }
        int m = messageOf((int) index);
        if (m < 0) {
            throw new StorPortException(StorStatus.UNSUCCESSFUL, unservedReason((int) index));
        }
        return m;
    }

    String unservedReason(int index) {
        if (unavailable != null) {
            return "adapter " + id + " is unavailable: " + unavailable;
        }
        if (messages.isEmpty()) {
            return "adapter " + id + " has no message interrupts";
        }
        return "no message of adapter " + id + " serves processor " + index + ": no queue maps it and no message in "
                + firstRedirection + ".." + lastRedirection + " targets it";
    }

    @Override
    public String toString() {
        return "Adapter[" + id + ", " + messages.size() + " messages, " + policy + "]";
    }

    /** Builds an adapter; {@link #build(Topology)} validates it and applies the lookup rule. */
    public static final class Builder {
        private final String id;
        private List<String> aliases = List.of();
        private int node = -1;
        private String driver = "";
        private String policy = "";
        private int firstRedirection;
        private int lastRedirection = -1;
        private final List<MessageInterrupt> messages = new ArrayList<>();
        private int[] primary;
        private String unavailable;

        private Builder(String id) {
            if (id == null || id.isBlank()) {
                throw StorPortException.invalidParameter("an adapter needs a name");
            }
            this.id = id;
        }

        public Builder aliases(List<String> aliases) {
            this.aliases = List.copyOf(aliases);
            return this;
        }

        public Builder node(int node) {
            this.node = node;
            return this;
        }

        public Builder driver(String driver) {
            this.driver = Objects.requireNonNull(driver);
            return this;
        }

        public Builder policy(String policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        /** The redirection range; defaults to all messages. */
        public Builder redirection(int first, int last) {
            this.firstRedirection = first;
            this.lastRedirection = last;
            return this;
        }

        /** Adds the next message; ids must be 0, 1, 2, ... in order. */
        public Builder message(MessageInterrupt message) {
            if (message.messageId() != messages.size()) {
                throw new IllegalArgumentException("message " + message.messageId() + " added out of order");
            }
            messages.add(message);
            return this;
        }

        /** Rule step 1: processor index -> the message completing its I/O, -1 where the backend does not know. */
        public Builder primary(int[] messageOfProcessor) {
            this.primary = messageOfProcessor.clone();
            return this;
        }

        /** Marks the adapter as lost by the backend: every lookup is UNSUCCESSFUL with this reason. */
        public Builder unavailable(String reason) {
            this.unavailable = reason;
            return this;
        }

        public Adapter build(Topology topology) {
            int n = topology.processorCount();
            int count = messages.size();
            if (count > MAX_MESSAGES) {
                throw StorPortException.invalidParameter("adapter " + id + ": " + count + " messages is more than " + MAX_MESSAGES);
            }
            int last = lastRedirection < 0 ? count - 1 : lastRedirection;
            if (count > 0 && (firstRedirection < 0 || firstRedirection > last || last >= count)) {
                throw StorPortException.invalidParameter("adapter " + id + ": redirection range " + firstRedirection + ".." + last
                        + " is not inside 0.." + (count - 1));
            }
            lastRedirection = last;
            int[] map = new int[n];
            Arrays.fill(map, -1);
            if (primary != null) {
                if (primary.length != n) {
                    throw StorPortException.invalidParameter("adapter " + id + ": the processor map has " + primary.length
                            + " entries for " + n + " processors");
                }
                for (int p = 0; p < n; p++) {
                    if (primary[p] < -1 || primary[p] >= count) {
                        throw StorPortException.invalidParameter("adapter " + id + ": processor " + p + " maps to message "
                                + primary[p] + ", outside 0.." + (count - 1));
                    }
                    map[p] = primary[p];
                }
            }
            // Step 2: the lowest redirection message whose targets contain p.
            for (int m = firstRedirection; m <= last && count > 0; m++) {
                for (int p : messages.get(m).processors()) {
                    if (p < 0 || p >= n) {
                        throw StorPortException.invalidParameter("adapter " + id + ": message " + m + " targets processor "
                                + p + ", outside 0.." + (n - 1));
                    }
                    if (map[p] < 0) {
                        map[p] = m;
                    }
                }
            }
            return new Adapter(this, map);
        }
    }
}

package storport.capture;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import storport.linux.SysfsSource;

/**
 * A {@link SysfsSource} that passes every call through to another and records what was touched:
 * files read (with the exact content returned), directories listed (with their entries), links
 * read, and paths a probe ({@link #exists}, {@link #isDirectory}, {@link #isSymbolicLink}) found.
 * A call that fails is rethrown and not recorded. When a path is read or listed twice, the first
 * answer is kept, so a capture shows what the scan saw first. Paths are recorded as the caller
 * gave them. Safe for concurrent callers.
 */
public final class RecordingSource implements SysfsSource {

    private final SysfsSource delegate;
    private final Map<String, String> reads = new LinkedHashMap<>();
    private final Map<String, List<String>> listings = new LinkedHashMap<>();
    private final Map<String, String> links = new LinkedHashMap<>();
    private final Set<String> probes = new LinkedHashSet<>();

    public RecordingSource(SysfsSource delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The source the calls go to. */
    public SysfsSource delegate() {
        return delegate;
    }

    @Override
    public String read(String path) throws IOException {
        String content = delegate.read(path);
        if (content != null) {
            synchronized (this) {
                reads.putIfAbsent(path, content);
            }
        }
        return content;
    }

    @Override
    public List<String> list(String path) throws IOException {
        List<String> names = delegate.list(path);
        if (names != null) {
            List<String> copy = List.copyOf(names);
            synchronized (this) {
                listings.putIfAbsent(path, copy);
            }
        }
        return names;
    }

    @Override
    public String readLink(String path) throws IOException {
        String target = delegate.readLink(path);
        if (target != null) {
            synchronized (this) {
                links.putIfAbsent(path, target);
            }
        }
        return target;
    }

    @Override
    public boolean isSymbolicLink(String path) {
        return probed(path, delegate.isSymbolicLink(path));
    }

    @Override
    public boolean exists(String path) {
        return probed(path, delegate.exists(path));
    }

    @Override
    public boolean isDirectory(String path) {
        return probed(path, delegate.isDirectory(path));
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    /** Files read and the content returned, by path (sorted). */
    public synchronized Map<String, String> reads() {
        return Collections.unmodifiableMap(new TreeMap<>(reads));
    }

    /** Directories listed and the names returned, by path (sorted). */
    public synchronized Map<String, List<String>> listings() {
        return Collections.unmodifiableMap(new TreeMap<>(listings));
    }

    /** Links read and the target returned, by path (sorted). */
    public synchronized Map<String, String> links() {
        return Collections.unmodifiableMap(new TreeMap<>(links));
    }

    /** Paths that {@link #exists}, {@link #isDirectory} or {@link #isSymbolicLink} answered true for (sorted). */
    public synchronized Set<String> probes() {
        return Collections.unmodifiableSet(new TreeSet<>(probes));
    }

    /** Whether nothing was recorded. */
    public synchronized boolean isEmpty() {
        return reads.isEmpty() && listings.isEmpty() && links.isEmpty() && probes.isEmpty();
    }

    private boolean probed(String path, boolean found) {
        if (found && path != null) {
            synchronized (this) {
                probes.add(path);
            }
        }
        return found;
    }
}

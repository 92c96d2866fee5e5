package storport.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import storport.linux.SysfsSource;

/**
 * Writes a capture: runs a host scan against a {@link RecordingSource} and stores what it touched
 * as a gzip'd POSIX tar that unpacks to look like the host.
 *
 * <p>Layout: first {@value CaptureInfo#FILE_NAME}, then the entries in path order (a folder
 * before what it holds), all named relative to the root ({@code sys/...}, {@code proc/...}):
 * <ul>
 * <li>every path component that is a symbolic link on the host is a symlink entry with its target
 * exactly as stored (relative), and what lies under it is stored under the link's real path
 * (resolved lexically), so {@code sys/block/vda} is a link and {@code mq/0/cpu_list} lives under
 * {@code sys/devices/.../block/vda};</li>
 * <li>files read hold the exact content the scan got (mode 0444);</li>
 * <li>every folder on the way, and every folder listed, is a directory entry (mode 0555), so
 * empty folders survive;</li>
 * <li>a listed folder's other entries are kept as names only, so listings replay exactly: links
 * with their targets, folders empty, files the scan never read empty and unreadable (mode 0000);
 * the same holds for paths a probe (exists, isDirectory, isSymbolicLink) found, and for the
 * targets of captured links;</li>
 * <li>links have mode 0777; owner 0:0; every mtime is the capture time, so the same host read
 * at the same time gives the same bytes.</li>
 * </ul>
 * The archive is written to a temporary file next to the destination, flushed to disk and then
 * moved into place, so a failed or interrupted capture never leaves a partial file; an existing
 * file is replaced only when asked. Captures beyond the limits {@link CaptureArchive} accepts
 * (16 MiB a file, 256 MiB, 200,000 entries) are refused rather than written.
 */
public final class CaptureWriter {

    static final int FILE_MODE = 0444;
    static final int PLACEHOLDER_MODE = 0;
    static final int DIR_MODE = 0555;
    static final int LINK_MODE = 0777;
    private static final long MAX_MTIME = 077777777777L;

    private final Limits limits;

    public CaptureWriter() {
        this(Limits.DEFAULT);
    }

    CaptureWriter(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** As {@link #write(SysfsSource, Consumer, Path, CaptureInfo, boolean)}, never replacing an existing file. */
    public CaptureInfo write(SysfsSource source, Consumer<SysfsSource> reader, Path out, CaptureInfo info)
            throws IOException {
        return write(source, reader, out, info, false);
    }

    /**
     * Runs {@code reader} (the host scan) against {@code source} through a {@link RecordingSource}
     * and writes what it touched to {@code out}.
     *
     * @param info      host, kernel, time and storport version; root and entries are filled in
     * @param overwrite whether an existing file at {@code out} may be replaced
     * @return the manifest written
     * @throws FileAlreadyExistsException when {@code out} exists and {@code overwrite} is false
     *                                    (checked before the scan runs, and again at the end)
     * @throws NoSuchFileException        when the folder of {@code out} does not exist
     * @throws CaptureException           when the capture would be too large, or the source contradicts itself
     * @throws RuntimeException           whatever the reader throws; nothing is written then
     */
    public CaptureInfo write(SysfsSource source, Consumer<SysfsSource> reader, Path out, CaptureInfo info,
            boolean overwrite) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(info, "info");
        checkDestination(out, overwrite);
        RecordingSource recording = new RecordingSource(source);
        reader.accept(recording);
        return write(recording, out, info, overwrite);
    }

    /**
     * Writes what a scan already run against {@code recording} touched, reading link and type
     * information from {@link RecordingSource#delegate()}.
     */
    public CaptureInfo write(RecordingSource recording, Path out, CaptureInfo info, boolean overwrite)
            throws IOException {
        Objects.requireNonNull(recording, "recording");
        Objects.requireNonNull(info, "info");
        checkDestination(out, overwrite);
        SysfsSource source = recording.delegate();
        Plan plan = new Plan(source);
        plan.add(recording);
        plan.checkLimits(limits);
        CaptureInfo written = info.withRoot(source.describe()).withEntries(plan.entries.size());
        long mtime = Math.max(0, Math.min(MAX_MTIME, info.time().getEpochSecond()));

        Path target = out.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
                    GZIPOutputStream gzip = new GZIPOutputStream(file, 64 * 1024) {
                        {
                            def.setLevel(Deflater.BEST_COMPRESSION);
                        }
                    }) {
                TarWriter tar = new TarWriter(gzip);
                tar.file(CaptureInfo.FILE_NAME, written.manifestBytes(), FILE_MODE, mtime);
                for (Map.Entry<String, Entry> e : plan.entries.entrySet()) {
                    Entry entry = e.getValue();
                    switch (entry.kind()) {
                        case DIR -> tar.directory(e.getKey(), DIR_MODE, mtime);
                        case LINK -> tar.symlink(e.getKey(), entry.target(), LINK_MODE, mtime);
                        case FILE -> tar.file(e.getKey(), entry.data(), FILE_MODE, mtime);
                        case PLACEHOLDER -> tar.file(e.getKey(), new byte[0], PLACEHOLDER_MODE, mtime);
                        default -> throw new IllegalStateException(entry.kind().toString());
                    }
                }
                tar.finish();
                gzip.finish();
                file.flush();
                channel.force(true);
            }
            moveIntoPlace(tmp, target, overwrite);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        return written;
    }

    private static void checkDestination(Path out, boolean overwrite) throws IOException {
        Objects.requireNonNull(out, "out");
        Path target = out.toAbsolutePath();
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new NoSuchFileException(String.valueOf(folder), null,
                    "the folder for capture " + target.getFileName() + " does not exist");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "is a directory; a capture is written to a file");
        }
        if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw alreadyExists(target);
        }
    }

    private static FileAlreadyExistsException alreadyExists(Path target) {
        return new FileAlreadyExistsException(target.toString(), null,
                "a file is already there; refusing to overwrite it (choose another name, or ask to overwrite)");
    }

    /** Renames the finished file into place: atomically, and without replacing anything unless asked. */
    private static void moveIntoPlace(Path tmp, Path target, boolean overwrite) throws IOException {
        if (overwrite) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try {
            Files.createLink(target, tmp); // fails if the name is taken, even by a racing writer
            Files.delete(tmp);
        } catch (FileAlreadyExistsException e) {
            throw alreadyExists(target);
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw alreadyExists(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    enum Kind { DIR, FILE, PLACEHOLDER, LINK }

    record Entry(Kind kind, byte[] data, String target) {
    }

    /** Orders paths by component: a folder comes right before what it holds. */
    static int comparePaths(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x == '/') {
                    return -1;
                }
                if (y == '/') {
                    return 1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** What goes into the archive, by root-relative real path. */
    private static final class Plan {

        final SysfsSource source;
        final String where;
        final TreeMap<String, Entry> entries = new TreeMap<>(CaptureWriter::comparePaths);
        /** Known links by root-relative path: target, or null for "not a link". */
        final Map<String, String> links = new HashMap<>();
        /** Links added whose targets are still to be looked at. */
        final Deque<String> linksToFollow = new ArrayDeque<>();

        Plan(SysfsSource source) {
            this.source = source;
            this.where = source.describe();
        }

        void add(RecordingSource recording) throws IOException {
            // links first: what the scan saw of them is what the capture keeps
            for (Map.Entry<String, String> link : recording.links().entrySet()) {
                String[] split = PathWalk.split(link.getKey());
                String rel = PathWalk.join(real(split[0]), split[1]);
                links.put(rel, link.getValue());
                putLink(rel, link.getValue());
            }
            for (Map.Entry<String, String> read : recording.reads().entrySet()) {
                putFile(real(read.getKey()), read.getValue().getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, List<String>> listing : recording.listings().entrySet()) {
                String rel = real(listing.getKey());
                putDirectory(rel);
                for (String name : listing.getValue()) {
                    materialize(PathWalk.absolute(PathWalk.join(rel, name)));
                }
            }
            for (String probe : recording.probes()) {
                materialize(probe);
            }
            while (!linksToFollow.isEmpty()) {
                String link = linksToFollow.pollFirst();
                try {
                    materialize(PathWalk.absolute(link));
                } catch (IOException danglingOrOutside) {
                    // the link alone is kept, as the host has it
                }
            }
        }

        void checkLimits(Limits limits) throws CaptureException {
            if (entries.size() > limits.maxEntries()) {
                throw new CaptureException("cannot capture " + where + ": too large for a capture: " + entries.size()
                        + " entries (the limit is " + limits.maxEntries() + ")");
            }
            long total = 0;
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                byte[] data = e.getValue().data();
                if (data == null) {
                    continue;
                }
                if (data.length > limits.maxEntryBytes()) {
                    throw new CaptureException("cannot capture " + where + ": too large for a capture: /" + e.getKey()
                            + " is " + data.length + " bytes (the limit is " + Limits.size(limits.maxEntryBytes())
                            + " a file)");
                }
                total += data.length;
            }
            if (total > limits.maxTotalBytes()) {
                throw new CaptureException("cannot capture " + where + ": too large for a capture: " + total
                        + " bytes (the limit is " + Limits.size(limits.maxTotalBytes()) + ")");
            }
        }

        /** The real path of an absolute source path, every link on the way followed (and kept). */
        private String real(String path) throws IOException {
            return PathWalk.resolve(path, true, this::link, where);
        }

        private String link(String rel) throws IOException {
            if (links.containsKey(rel)) {
                return links.get(rel);
            }
            String abs = PathWalk.absolute(rel);
            String target = source.isSymbolicLink(abs) ? source.readLink(abs) : null;
            links.put(rel, target);
            if (target != null) {
                putLink(rel, target);
            }
            return target;
        }

        /** Keeps what is at a path (links on the way, then a folder, or an unread file as a name only). */
        private void materialize(String path) throws IOException {
            String rel = real(path);
            if (rel.isEmpty() || entries.containsKey(rel)) {
                return;
            }
            String abs = PathWalk.absolute(rel);
            if (source.isDirectory(abs)) {
                putDirectory(rel);
            } else if (source.exists(abs)) {
                put(rel, new Entry(Kind.PLACEHOLDER, null, null));
            }
        }

        private void putDirectory(String rel) throws IOException {
            if (!rel.isEmpty()) {
                put(rel, new Entry(Kind.DIR, null, null));
            }
        }

        private void putFile(String rel, byte[] data) throws IOException {
            put(rel, new Entry(Kind.FILE, data, null));
        }

        private void putLink(String rel, String target) throws IOException {
            if (put(rel, new Entry(Kind.LINK, null, target))) {
                linksToFollow.add(rel);
            }
        }

        /** Adds an entry and the folders it lies in; false when it was there already. */
        private boolean put(String rel, Entry entry) throws IOException {
            if (rel.isEmpty()) {
                throw inconsistent("/", "the root", entry);
            }
            for (int slash = rel.indexOf('/'); slash >= 0; slash = rel.indexOf('/', slash + 1)) {
                String folder = rel.substring(0, slash);
                Entry existing = entries.get(folder);
                if (existing == null) {
                    entries.put(folder, new Entry(Kind.DIR, null, null));
                } else if (existing.kind() != Kind.DIR) {
                    throw inconsistent("/" + folder, describe(existing), new Entry(Kind.DIR, null, null));
                }
            }
            Entry existing = entries.get(rel);
            if (existing == null) {
                entries.put(rel, entry);
                return true;
            }
            if (existing.kind() == entry.kind() && Objects.equals(existing.target(), entry.target())
                    && (entry.kind() != Kind.FILE || java.util.Arrays.equals(existing.data(), entry.data()))) {
                return false;
            }
            if (existing.kind() == Kind.PLACEHOLDER && entry.kind() == Kind.FILE) {
                entries.put(rel, entry);
                return false;
            }
            if (existing.kind() == Kind.FILE && entry.kind() == Kind.PLACEHOLDER) {
                return false;
            }
            throw inconsistent("/" + rel, describe(existing), entry);
        }

        private CaptureException inconsistent(String path, String was, Entry now) {
            return new CaptureException("cannot capture " + where + ": " + path + " was seen as " + was + " and as "
                    + describe(now) + " (did the host change during the capture?)");
        }

        private static String describe(Entry e) {
            return switch (e.kind()) {
                case DIR -> "a directory";
                case FILE, PLACEHOLDER -> "a file";
                case LINK -> "a symbolic link to " + e.target();
            };
        }
    }
}

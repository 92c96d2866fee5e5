package storport.linux;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Where the Linux inputs come from: a live root ({@code /}), an unpacked capture, or a capture
 * archive read in place. Paths are absolute within the source and use '/' (e.g.
 * {@code /sys/block/vda/mq/0/cpu_list}). Implementations never write and never leave their root.
 */
public interface SysfsSource {

    /** The whole content of a regular file (sysfs files are small), as text. */
    String read(String path) throws IOException;

    /**
     * The lines of a file one at a time, for the one input that grows with the host
     * ({@code /proc/interrupts}: hundreds of megabytes on 4,096 CPUs); {@code more} returns false to
     * stop. By default the file as {@link #read} has it.
     */
    default void lines(String path, Predicate<String> more) throws IOException {
        for (String line : read(path).split("\n")) {
            if (!more.test(line)) {
                return;
            }
        }
    }

    /** The names in a directory, sorted; a missing directory is an IOException (NoSuchFileException). */
    List<String> list(String path) throws IOException;

    /** The target of a symbolic link as stored (usually relative, e.g. {@code ../../devices/pci0000:00/0000:00:02.0}). */
    String readLink(String path) throws IOException;

    /** Whether the last component of the path is a symbolic link (not following it). */
    default boolean isSymbolicLink(String path) {
        try {
            readLink(path);
            return true;
        } catch (IOException notALink) {
            return false;
        }
    }

    /** Whether something (file, directory or link) exists at the path. */
    boolean exists(String path);

    /** Whether the path is a directory (following a link). */
    boolean isDirectory(String path);

    /**
     * A view of this source for one pass (a scan, a change check) that may remember what it has
     * found out about the tree (resolved folders), so it must not outlive the pass. This source
     * itself when there is nothing to remember.
     */
    default SysfsSource session() {
        return this;
    }

    /** What the source is, for messages, e.g. {@code /} or {@code capture prod-db-7.tar.gz}. */
    String describe();
}

package storport.linux;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Source paths ({@code /sys/block/vda}) worked out as text, without the file system: sysfs links
 * are compared by where they point, and a path never climbs above the root.
 */
final class SysfsPaths {
    private SysfsPaths() {
    }

    /**
     * The components of an absolute path as written, {@code ..} kept: after a symlink, {@code ..}
     * climbs from the link's target, so only a resolver that follows links may apply it.
     */
    static List<String> split(String path) throws LinuxInputException {
        if (!path.startsWith("/")) {
            throw new LinuxInputException(path, "not an absolute path");
        }
        if (path.indexOf('\0') >= 0) {
            throw new LinuxInputException(SysfsText.quote(path), "a path cannot contain NUL");
        }
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The components of an absolute path with {@code ..} applied to the text; an error when it
     * climbs above the root. Right for paths without symlinks on the way (sysfs link folders).
     */
    static List<String> components(String path) throws LinuxInputException {
        Deque<String> out = new ArrayDeque<>();
        for (String c : split(path)) {
            if (c.equals("..")) {
                if (out.isEmpty()) {
                    throw new LinuxInputException(path, "leads outside the root");
                }
                out.removeLast();
            } else {
                out.addLast(c);
            }
        }
        return new ArrayList<>(out);
    }

    /** The normal form of an absolute path: {@code /a/b/../c} is {@code /a/c}. */
    static String normalize(String path) throws LinuxInputException {
        return "/" + String.join("/", components(path));
    }

    /** The folder of a path ({@code /} for a top-level entry). */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** The last component of a path or link target. */
    static String basename(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /**
     * Where a symlink points, as a source path: an absolute target is taken inside the root, a
     * relative one from the link's folder. sysfs link folders are real directories, so applying
     * {@code ..} to the text gives the same place the kernel would reach.
     *
     * @throws IOException when the path is not a link or the target climbs above the root
     */
    static String resolveLink(SysfsSource source, String link) throws IOException {
        String target = source.readLink(link);
        try {
            return normalize(target.startsWith("/") ? target : parent(link) + "/" + target);
        } catch (LinuxInputException e) {
            throw new LinuxInputException(link, "link to " + SysfsText.quote(target) + " leads outside the root");
        }
    }
}

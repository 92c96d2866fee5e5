package storport.capture;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves an absolute '/'-separated path inside a root, lexically: each component is looked up
 * in turn, a symbolic link is replaced by its target (relative to the link's folder, or to the
 * root when absolute) and {@code ..} goes to the parent of what was resolved so far, like the
 * kernel does. Never leaves the root and never loops: {@code ..} above the root and more than
 * {@value #MAX_LINKS} links are errors.
 */
final class PathWalk {

    /** As many links as Linux follows in one lookup (ELOOP beyond). */
    static final int MAX_LINKS = 40;

    /** The link at a root-relative path, or null when that path is not a symbolic link. */
    @FunctionalInterface
    interface Links {
        String target(String rel) throws IOException;
    }

    /** One component still to walk, and the link whose target it came from (null: the path itself). */
    private record Part(String name, String via) {
    }

    private PathWalk() {
    }

    /**
     * The root-relative path ("" for the root, "sys/devices/...") that {@code path} leads to.
     *
     * @param followLast whether a link as the last component is followed too
     * @param where      what is walked, for messages (a capture, a source)
     */
    static String resolve(String path, boolean followLast, Links links, String where) throws IOException {
        requireAbsolute(path);
        Deque<Part> todo = new ArrayDeque<>();
        pushFront(todo, path, null);
        List<String> real = new ArrayList<>();
        int followed = 0;
        while (!todo.isEmpty()) {
            Part part = todo.pollFirst();
            String name = part.name();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (real.isEmpty()) {
                    throw new CaptureException(where + ": " + path + (part.via() == null
                            ? " leads out of the root"
                            : ": symbolic link " + part.via() + " leads out of the root"));
                }
                real.remove(real.size() - 1);
                continue;
            }
            real.add(name);
            if (!todo.isEmpty() || followLast) {
                String rel = String.join("/", real);
                String target = links.target(rel);
                if (target != null) {
                    if (++followed > MAX_LINKS) {
                        throw new CaptureException(where + ": " + path
                                + ": too many levels of symbolic links (a symbolic link loop at /" + rel + "?)");
                    }
                    real.remove(real.size() - 1);
                    if (target.startsWith("/")) {
                        real.clear();
                    }
                    pushFront(todo, target, "/" + rel + " -> " + target);
                }
            }
        }
        return String.join("/", real);
    }

    /** The root-relative form of an absolute path's folder and name: "/sys/block/vda" -> {"/sys/block", "vda"}. */
    static String[] split(String path) {
        requireAbsolute(path);
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        String parent = slash == 0 ? "/" : p.substring(0, slash);
        return new String[] {parent, p.substring(slash + 1)};
    }

    static String join(String rel, String name) {
        return rel.isEmpty() ? name : rel + "/" + name;
    }

    static String absolute(String rel) {
        return "/" + rel;
    }

    static void requireAbsolute(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
    }

    private static void pushFront(Deque<Part> todo, String path, String via) {
        String[] names = path.split("/", -1);
        for (int i = names.length - 1; i >= 0; i--) {
            todo.addFirst(new Part(names[i], via));
        }
    }
}

package storport.nativebackend;

import java.io.FilePermission;
import java.security.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A SecurityManager that permits everything and records every file access the JVM checks while
 * {@link #recording}: the JDK routes each path-based open, stat, listing, readlink, write and delete
 * (java.io and java.nio alike) through {@link #checkPermission} as a {@link FilePermission}. Needs
 * {@code -Djava.security.manager=allow} on Java 17 and later (surefire's argLine in this module).
 *
 * <p>Only paths are recorded here, nothing is resolved: resolving a path would itself be checked.
 */
final class FileAccessRecorder extends SecurityManager {
    enum Kind { READ, WRITE, DELETE, EXECUTE }

    record Access(Kind kind, String path, String thread) {
    }

    private final ConcurrentLinkedQueue<Access> accesses = new ConcurrentLinkedQueue<>();
    private volatile boolean recording;

    /** Installs a recorder for the JVM; {@link #uninstall} puts the previous state back. */
    static FileAccessRecorder install() {
        FileAccessRecorder r = new FileAccessRecorder();
        // Load what recording uses before it is checked: loading a class is itself a checked read.
        r.recording = true;
        r.checkPermission(new FilePermission("/", "read,readlink,write,delete,execute"));
        r.recording = false;
        r.accesses.clear();
        System.setSecurityManager(r);   // UnsupportedOperationException without -Djava.security.manager=allow
        return r;
    }

    void uninstall() {
        recording = false;
        System.setSecurityManager(null);
    }

    /** Starts a fresh recording. */
    void start() {
        accesses.clear();
        recording = true;
    }

    /** Stops recording; what was recorded since {@link #start}. */
    List<Access> stop() {
        recording = false;
        return new ArrayList<>(accesses);
    }

    @Override
    public void checkPermission(Permission perm) {
        if (recording && perm instanceof FilePermission f && !inside.get()) {
            inside.set(true);   // what is recorded here may load a class, itself a checked read
            try {
                record(f);
            } finally {
                inside.set(false);
            }
        }
    }

    private final ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);

    private void record(FilePermission f) {
        String actions = f.getActions();
        String thread = Thread.currentThread().getName();
        if (actions.contains("read") || actions.contains("readlink")) {
            accesses.add(new Access(Kind.READ, f.getName(), thread));
        }
        if (actions.contains("write")) {
            accesses.add(new Access(Kind.WRITE, f.getName(), thread));
        }
        if (actions.contains("delete")) {
            accesses.add(new Access(Kind.DELETE, f.getName(), thread));
        }
        if (actions.contains("execute")) {
            accesses.add(new Access(Kind.EXECUTE, f.getName(), thread));
        }
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        checkPermission(perm);
    }
}

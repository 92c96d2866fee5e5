package storport.linux;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * A Linux input (a sysfs or procfs file) that is missing, unreadable or not what the kernel writes.
 * The message reads {@code <path>: <reason>}, so whoever sees it knows which file to look at.
 *
 * <p>It is an {@link IOException}: a bad input is a property of what was read, like a failed read,
 * and callers already handle I/O failures of a host that changes under them.
 */
public class LinuxInputException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    public LinuxInputException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    public LinuxInputException(String path, String reason, Throwable cause) {
        super(path + ": " + reason, cause);
        this.path = path;
        this.reason = reason;
    }

    /** The file (absolute within the source) the problem is about. */
    public String path() {
        return path;
    }

    /** The problem, without the path. */
    public String reason() {
        return reason;
    }

    /** The same failure as a LinuxInputException naming {@code path}, with a reason a person can read. */
    static LinuxInputException of(String path, IOException e) {
        if (e instanceof LinuxInputException l) {
            return l;
        }
        if (!(e instanceof FileSystemException f)) {
            return new LinuxInputException(path, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
        String what;
        if (e instanceof NoSuchFileException) {
            what = "no such file";
        } else if (e instanceof NotDirectoryException) {
            what = "not a directory";
        } else if (e instanceof NotLinkException) {
            what = "not a symbolic link";
        } else if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else {
            what = f.getReason() == null ? e.getClass().getSimpleName() : f.getReason();
            return new LinuxInputException(path, what, e);
        }
        if (f.getFile() != null && !f.getFile().equals(path)) {
            what += " (" + f.getFile() + ")";
        }
        if (f.getReason() != null) {
            what += ": " + f.getReason();
        }
        return new LinuxInputException(path, what, e);
    }
}

package storport.linux;

import java.io.IOException;
import java.util.List;

/** Source reads whose failures name the file: every error of a scan says which input it is about. */
final class SysfsFiles {
    private SysfsFiles() {
    }

    static String read(SysfsSource source, String path) throws LinuxInputException {
        try {
            return source.read(path);
        } catch (IOException e) {
            throw LinuxInputException.of(path, e);
        }
    }

    static List<String> list(SysfsSource source, String path) throws LinuxInputException {
        try {
            return source.list(path);
        } catch (IOException e) {
            throw LinuxInputException.of(path, e);
        }
    }

    static String resolveLink(SysfsSource source, String path) throws LinuxInputException {
        try {
            return SysfsPaths.resolveLink(source, path);
        } catch (IOException e) {
            throw LinuxInputException.of(path, e);
        }
    }

    /** Whether a failed read failed only because the file (or a folder on the way) is not there. */
    static boolean isMissing(LinuxInputException e) {
        return e.getCause() instanceof java.nio.file.NoSuchFileException;
    }
}

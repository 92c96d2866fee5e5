package storport.select;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.felix.cm.PersistenceManager;
import org.apache.felix.cm.file.ConfigurationHandler;
import org.apache.felix.cm.file.FilePersistenceManager;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Felix Config Admin's file store, made safe against a process killed while it writes. The product
 * selects it with the framework property {@code felix.cm.pm=storport} (storport.bndrun).
 *
 * <p>Felix's {@link FilePersistenceManager} writes a configuration to {@code NAME.configDIGITS.tmp},
 * then <em>deletes</em> {@code NAME.config} and renames the temporary file into place. A SIGKILL
 * between the delete and the rename leaves no {@code NAME.config}: at the next start the
 * configuration is gone (the simulator then seeds its defaults, the backend choice falls back to
 * sim), which is neither the old state nor the new one. Before Config Admin reads anything, this
 * store finishes such an interrupted write: a complete temporary file whose configuration file is
 * missing is renamed into place (the new state); every other temporary file is an interrupted write
 * whose old file is intact, and is deleted (the old state). Reads and writes are Felix's own.
 */
@Component(service = PersistenceManager.class, property = PersistenceManager.PROPERTY_NAME + "=" + CrashSafeConfigStore.NAME)
public class CrashSafeConfigStore implements PersistenceManager {
    static final String NAME = "storport";
    /** Felix Config Admin uses the persistence manager of this name, and waits for it. */
    static final String SELECT_PROPERTY = "felix.cm.pm";
    /** Felix's temporary name: File.createTempFile(NAME.config, ".tmp") puts random digits between. */
    private static final Pattern TEMP = Pattern.compile("(.+\\.config)\\d*\\.tmp");

    private final FilePersistenceManager files;

    @Activate
    public CrashSafeConfigStore(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        String dir = context.getProperty("felix.cm.dir");
        Path location = dir == null || dir.isBlank() ? context.getDataFile("config").toPath() : Path.of(dir);
        // Only when Config Admin waits for this store: otherwise it may be writing there right now.
        if (NAME.equals(context.getProperty(SELECT_PROPERTY))) {
            for (String repaired : recover(location)) {
                log.info("storport: " + repaired);
            }
        }
        files = new FilePersistenceManager(context, location.toString());
    }

    /**
     * Resolves every temporary file Felix left under {@code dir} as described above.
     *
     * @return what was done, one sentence per file
     */
    static List<String> recover(Path dir) {
        List<String> done = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return done;
        }
        // target file -> its temporary files, newest first: a kill leaves at most one complete one for a missing target
        Map<Path, List<Path>> temps = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                Matcher m = TEMP.matcher(f.getFileName().toString());
                if (m.matches()) {
                    temps.computeIfAbsent(f.resolveSibling(m.group(1)), t -> new ArrayList<>()).add(f);
                }
            }
        } catch (IOException e) {
            done.add("cannot look for interrupted configuration writes in " + dir + ": " + e.getMessage());
            return done;
        }
        for (Map.Entry<Path, List<Path>> e : temps.entrySet()) {
            Path target = e.getKey();
            List<Path> candidates = new ArrayList<>(e.getValue());
            candidates.sort(Comparator.comparing(CrashSafeConfigStore::modified).reversed());
            for (Path tmp : candidates) {
                try {
                    if (!Files.exists(target) && complete(tmp)) {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                        done.add("completed the interrupted write of " + dir.relativize(target));
                    } else {
                        Files.delete(tmp);
                        done.add("removed the interrupted write " + dir.relativize(tmp) + " (" + dir.relativize(target) + " is intact)");
                    }
                } catch (IOException x) {
                    done.add("cannot resolve the interrupted write " + tmp + ": " + x.getMessage());
                }
            }
        }
        return done;
    }

    /** Whether Felix finished writing the file: it parses and names its configuration (the pid is always written). */
    private static boolean complete(Path tmp) {
        try (InputStream in = Files.newInputStream(tmp)) {
            Dictionary<?, ?> d = ConfigurationHandler.read(in);
            return d != null && d.get(Constants.SERVICE_PID) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public boolean exists(String pid) {
        return files.exists(pid);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Dictionary load(String pid) throws IOException {
        return files.load(pid);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Enumeration getDictionaries() throws IOException {
        return files.getDictionaries();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void store(String pid, Dictionary properties) throws IOException {
        files.store(pid, properties);
    }

    @Override
    public void delete(String pid) throws IOException {
        files.delete(pid);
    }
}

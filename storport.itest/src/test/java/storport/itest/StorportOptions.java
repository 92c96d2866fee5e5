package storport.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/** The real runtime for Pax Exam: Felix + SCR + Config Admin + Metatype + Gogo runtime + the storport bundles. */
final class StorportOptions {
    private StorportOptions() {
    }

    /**
     * @param cmDir where Config Admin persists; keep it across test methods to test a framework restart
     */
    static Option[] base(Path cmDir) {
        return options(
                junitBundles(),
                bundleOf("bundle.promise"),
                bundleOf("bundle.function"),
                bundleOf("bundle.component"),
                bundleOf("bundle.log"),
                bundleOf("bundle.gson"), // the tests read JSON with Gson
                bundleOf("bundle.scr"),
                bundleOf("bundle.configadmin"),
                bundleOf("bundle.metatype"),
                bundleOf("bundle.gogo.runtime"),
                bundleOf("bundle.gogo.command"),
                bundleOf("bundle.storport.api"),
                bundleOf("bundle.storport.select"),
                bundleOf("bundle.storport.sim"),
                bundleOf("bundle.storport.shell"),
                frameworkProperty("felix.cm.dir").value(cmDir.toString()),
                systemProperty("ds.loglevel").value("warn"));
    }

    /** The base runtime plus the native backend. */
    static Option[] withNative(Path cmDir) {
        Option[] base = base(cmDir);
        Option[] all = java.util.Arrays.copyOf(base, base.length + 1);
        all[base.length] = bundleOf("bundle.storport.native");
        return all;
    }

    /** A fresh, empty Config Admin folder under target/itest. */
    static Path freshDir(String name) {
        Path dir = Path.of(System.getProperty("storport.itest.dir", "target/itest"), name);
        delete(dir);
        return dir;
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Option bundleOf(String property) {
        String path = System.getProperty(property);
        if (path == null || !new File(path).isFile()) {
            throw new IllegalStateException("system property " + property + " must name a bundle file, is " + path);
        }
        return bundle(new File(path).toURI().toString());
    }
}

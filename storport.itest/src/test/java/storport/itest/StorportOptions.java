package storport.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

import storport.runtime.ProductRuntime;

/**
 * The product's runtime for Pax Exam, as {@code storport.app/storport.bndrun} defines it and bnd
 * resolved it into {@code storport.jar} ({@link ProductRuntime}): every run bundle at its start
 * level, every run property. Added by the tests: JUnit, Gson (they read JSON with it), their own
 * Config Admin folder, a free loopback port for the console, and no interactive shell. {@link #RUNBUNDLES} tells the tests inside the framework which bundles the
 * runtime has, so they check that what the bndrun lists is what they run.
 */
final class StorportOptions {
    /** Framework property: the symbolic names of the runtime's bundles, comma-separated. */
    static final String RUNBUNDLES = "storport.itest.runbundles";

    private StorportOptions() {
    }

    /** The product's runtime without the native backend (the simulator alone answers). */
    static Option[] base(Path cmDir) {
        return options(cmDir, runtime().without("storport.native"));
    }

    /** The product's whole runtime, the native backend included. */
    static Option[] withNative(Path cmDir) {
        return options(cmDir, runtime());
    }

    static ProductRuntime runtime() {
        try {
            return ProductRuntime.of(Path.of(System.getProperty("storport.jar")),
                    Path.of(System.getProperty("storport.itest.dir", "target/itest"), "runtime"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Option[] options(Path cmDir, ProductRuntime runtime) {
        List<Option> o = new ArrayList<>();
        o.add(junitBundles());
        o.add(bundleOf("bundle.gson"));
        for (ProductRuntime.RunBundle b : runtime.bundles()) {
            o.add(bundle(b.file().toUri().toString()).startLevel(b.startLevel()).start(!b.fragment()));
        }
        for (Map.Entry<String, String> p : runtime.properties().entrySet()) {
            o.add(frameworkProperty(p.getKey()).value(p.getValue()));
        }
        o.add(frameworkProperty(RUNBUNDLES).value(String.join(",", runtime.symbolicNames())));
        o.add(frameworkProperty("felix.cm.dir").value(cmDir.toString()));
        // the console serves, as in the product, on a free loopback port of its own
        o.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        o.add(frameworkProperty("org.osgi.service.http.port").value("0"));
        o.add(frameworkProperty("gosh.args").value("--nointeractive"));
        o.add(systemProperty("ds.loglevel").value("warn"));
        return o.toArray(new Option[0]);
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

    static Option bundleOf(String property) {
        String path = System.getProperty(property);
        if (path == null || !new File(path).isFile()) {
            throw new IllegalStateException("system property " + property + " must name a bundle file, is " + path);
        }
        return bundle(new File(path).toURI().toString());
    }
}

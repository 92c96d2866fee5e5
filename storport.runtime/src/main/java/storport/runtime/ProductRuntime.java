package storport.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The product's runtime, defined once in {@code storport.app/storport.bndrun} and resolved by bnd
 * into {@code storport.jar}: the bundles ({@code launch.bundles}, each with the start level of
 * {@code launch.runbundles.attrs}) and the framework properties ({@code -runproperties}) of that jar's
 * {@code launcher.properties}. The Pax Exam tests and the swap benchmark start exactly this, plus
 * only what they add themselves; a bundle added to the bndrun reaches them with no other edit.
 *
 * @param bundles    the run bundles, in the jar's order, extracted to files
 * @param properties the framework properties the product runs with (bnd's launcher settings left out)
 */
public record ProductRuntime(List<RunBundle> bundles, Map<String, String> properties) {

    /** One run bundle: its symbolic name, its file, its start level, and whether it is a fragment (attached, never started). */
    public record RunBundle(String symbolicName, Path file, int startLevel, boolean fragment) {
    }

    /** Properties of the launcher itself (how bnd's launcher starts the framework), not of the product. */
    private static final Set<String> LAUNCHER_ONLY = Set.of("org.osgi.framework.startlevel.beginning", "org.osgi.framework.storage.clean");

    public ProductRuntime {
        bundles = List.copyOf(bundles);
        properties = Map.copyOf(properties);
    }

    /**
     * Reads {@code storportJar} and extracts its bundles into {@code dir} (a file already there with
     * the same size is kept, so repeated starts copy nothing).
     */
    public static ProductRuntime of(Path storportJar, Path dir) throws IOException {
        if (!Files.isRegularFile(storportJar)) {
            throw new IOException(storportJar + " does not exist: build storport.app first (mvn -pl storport.app -am package)");
        }
        Files.createDirectories(dir);
        try (ZipFile zip = new ZipFile(storportJar.toFile())) {
            ZipEntry launcher = zip.getEntry("launcher.properties");
            if (launcher == null) {
                throw new IOException(storportJar + " has no launcher.properties: not a jar bnd exported from a bndrun");
            }
            Properties p = new Properties();
            try (InputStream in = zip.getInputStream(launcher)) {
                p.load(in);
            }
            Map<String, Integer> levels = startLevels(p.getProperty("launch.runbundles.attrs", ""));
            List<RunBundle> bundles = new ArrayList<>();
            for (String name : p.getProperty("launch.bundles", "").split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                ZipEntry entry = zip.getEntry(name.trim());
                if (entry == null) {
                    throw new IOException(storportJar + " lists " + name + " but does not hold it");
                }
                Path file = dir.resolve(Path.of(entry.getName()).getFileName().toString());
                if (!Files.isRegularFile(file) || Files.size(file) != entry.getSize()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Attributes manifest = manifest(file);
                String bsn = symbolicName(file, manifest);
                bundles.add(new RunBundle(bsn, file, levels.getOrDefault(bsn, 1), manifest.getValue("Fragment-Host") != null));
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (String key : p.stringPropertyNames()) {
                if (!key.startsWith("launch.") && !LAUNCHER_ONLY.contains(key)) {
                    properties.put(key, p.getProperty(key));
                }
            }
            return new ProductRuntime(bundles, properties);
        }
    }

    /** The same runtime without these bundles (by symbolic name); each must be one of the runtime's. */
    public ProductRuntime without(String... symbolicNames) {
        List<String> names = Arrays.asList(symbolicNames);
        for (String n : names) {
            if (bundles.stream().noneMatch(b -> b.symbolicName().equals(n))) {
                throw new IllegalArgumentException(n + " is not a bundle of the product's runtime");
            }
        }
        return new ProductRuntime(bundles.stream().filter(b -> !names.contains(b.symbolicName())).toList(), properties);
    }

    /** The symbolic names of the bundles, in order. */
    public List<String> symbolicNames() {
        return bundles.stream().map(RunBundle::symbolicName).toList();
    }

    /** {@code a;version="1";startlevel=1,b;version="2";startlevel=2} -> {a=1, b=2}. */
    static Map<String, Integer> startLevels(String attrs) {
        Map<String, Integer> out = new HashMap<>();
        for (String clause : attrs.split(",")) {
            String[] parts = clause.split(";");
            int level = 0;
            for (String part : parts) {
                String t = part.trim();
                if (t.startsWith("startlevel=")) {
                    level = Integer.parseInt(t.substring("startlevel=".length()).replace("\"", ""));
                }
            }
            if (!parts[0].isBlank() && level > 0) {
                out.put(parts[0].trim(), level);
            }
        }
        return out;
    }

    private static Attributes manifest(Path bundle) throws IOException {
        try (JarFile jar = new JarFile(bundle.toFile())) {
            return jar.getManifest() == null ? new Attributes() : jar.getManifest().getMainAttributes();
        }
    }

    private static String symbolicName(Path bundle, Attributes manifest) throws IOException {
        String bsn = manifest.getValue("Bundle-SymbolicName");
        if (bsn == null) {
            throw new IOException(bundle + " is not a bundle (no Bundle-SymbolicName)");
        }
        int semicolon = bsn.indexOf(';');
        return (semicolon < 0 ? bsn : bsn.substring(0, semicolon)).trim();
    }
}

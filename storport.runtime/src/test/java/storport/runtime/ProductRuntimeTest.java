package storport.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A jar shaped as bnd exports storport.bndrun: its launcher.properties and bundles read back. */
public class ProductRuntimeTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] bundle(String bsn) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", bsn + ";singleton:=true");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, m)) {
            jar.putNextEntry(new ZipEntry("x/" + bsn + ".txt"));
            jar.write(bsn.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private Path exported(String launcher, String... bundles) throws IOException {
        Path jar = tmp.getRoot().toPath().resolve("storport.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("launcher.properties"));
            zip.write(launcher.getBytes(StandardCharsets.ISO_8859_1));
            for (String b : bundles) {
                zip.putNextEntry(new ZipEntry("jar/" + b + "-1.0.jar"));
                zip.write(bundle(b));
            }
        }
        return jar;
    }

    @Test
    public void theBundlesInTheJarsOrderWithTheirStartLevelsAndTheProductsProperties() throws IOException {
        Path jar = exported("launch.bundles=jar/spifly-1.0.jar,jar/storport.api-1.0.jar,jar/storport.sim-1.0.jar\n"
                + "launch.runbundles.attrs=spifly;version\\=\"1.0\";startlevel\\=1,storport.api;version\\=\"1.0\";startlevel\\=2,"
                + "storport.sim;version\\=\"1.0.0.202212101352\";startlevel\\=2\n"
                + "launch.trace=false\norg.osgi.framework.startlevel.beginning=4\norg.osgi.framework.storage.clean=onFirstInit\n"
                + "felix.cm.pm=storport\norg.apache.felix.http.session.timeout=60\n", "spifly", "storport.api", "storport.sim");
        Path dir = tmp.getRoot().toPath().resolve("bundles");
        ProductRuntime r = ProductRuntime.of(jar, dir);
        assertEquals(List.of("spifly", "storport.api", "storport.sim"), r.symbolicNames());
        assertEquals(List.of(1, 2, 2), r.bundles().stream().map(ProductRuntime.RunBundle::startLevel).toList());
        assertEquals(dir.resolve("storport.api-1.0.jar"), r.bundles().get(1).file());
        assertTrue(Files.isRegularFile(r.bundles().get(1).file()));
        assertEquals("the product's properties, not the launcher's", Map.of("felix.cm.pm", "storport",
                "org.apache.felix.http.session.timeout", "60"), r.properties());
        assertEquals(List.of("spifly", "storport.api"), r.without("storport.sim").symbolicNames());
        try {
            r.without("storport.nope");
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("storport.nope is not a bundle of the product's runtime", e.getMessage());
        }
        assertEquals("read again from the files already there", r, ProductRuntime.of(jar, dir));
    }

    @Test
    public void aJarThatIsNoExportedRuntimeIsNamed() throws IOException {
        Path none = tmp.getRoot().toPath().resolve("missing.jar");
        try {
            ProductRuntime.of(none, tmp.getRoot().toPath());
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("build storport.app first"));
        }
        Path plain = tmp.getRoot().toPath().resolve("plain.jar");
        try (OutputStream out = Files.newOutputStream(plain); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("a.txt"));
        }
        try {
            ProductRuntime.of(plain, tmp.getRoot().toPath());
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("has no launcher.properties"));
        }
    }
}

package storport.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CredentialsTest {
    private static final Pattern GENERATED = Pattern.compile("shown only this once; its hash is in (\\S+)\\): (\\S+)$");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aPasswordHashVerifiesOnlyItsPassword() {
        PasswordHash h = PasswordHash.create("s3cret", new SecureRandom(), 20_000);
        assertTrue(h.matches("s3cret"));
        assertFalse(h.matches("s3cret "));
        assertFalse(h.matches("S3cret"));
        assertFalse(h.matches(""));
        assertFalse(h.matches(null));
        PasswordHash again = PasswordHash.parse(h.format());
        assertEquals(h, again);
        assertTrue(again.matches("s3cret"));
        assertNotEquals("salted", h, PasswordHash.create("s3cret", new SecureRandom(), 20_000));
        assertTrue(h.format(), h.format().matches("pbkdf2-sha256\\$20000\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}"));
        assertEquals("OWASP's advice for PBKDF2-HMAC-SHA256", 600_000, PasswordHash.ITERATIONS);
        for (String bad : new String[] { "", "admin", "pbkdf2-sha256$x$AAAA$BBBB", "pbkdf2-sha256$100$" + "A".repeat(24) + "$" + "B".repeat(44),
                "sha1$20000$" + "A".repeat(24) + "$" + "B".repeat(44), "pbkdf2-sha256$20000$AA==$" + "B".repeat(44) }) {
            try {
                PasswordHash.parse(bad);
                fail("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                // refused
            }
        }
    }

    @Test
    public void noPasswordBeforeTheConsoleIsReachableThenAGeneratedOneShownOnce() throws Exception {
        Path home = tmp.newFolder("home").toPath();
        Credentials c = new Credentials(Map.<String, String>of()::get);
        c.load(home.toString());
        assertFalse("no default password", c.verify("admin", "admin"));
        assertFalse(c.verify("admin", ""));
        assertFalse("nothing generated yet", Files.exists(home.resolve(Credentials.FILE)));

        String said = c.announce();
        Matcher m = GENERATED.matcher(said);
        assertTrue(said, m.find());
        String password = m.group(2);
        Path file = home.resolve(Credentials.FILE);
        assertEquals(file.toString(), m.group(1));
        assertEquals(20, password.length());
        assertTrue(c.verify("admin", password));
        assertTrue("remembered for HTTP Basic", c.remembered("admin", password));
        assertFalse(c.remembered("admin", password + "x"));
        assertTrue(c.verify("admin", password));
        assertFalse(c.verify("root", password));
        assertFalse(c.verify("admin", password + "x"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String stored = Files.readString(file);
        assertFalse("only the hash is stored", stored.contains(password));
        assertTrue(stored, PasswordHash.parse(stored).matches(password));
        assertFalse("shown once", c.announce().contains(password));

        Credentials restarted = new Credentials(Map.<String, String>of()::get);
        restarted.load(home.toString());
        String second = restarted.announce();
        assertFalse(second, second.contains(password));
        assertTrue(second, second.contains("as printed at its first start"));
        assertTrue(restarted.verify("admin", password));
        assertEquals("not rewritten", stored, Files.readString(file));
    }

    @Test
    public void theEnvironmentWinsAndIsNotStored() throws Exception {
        Path home = tmp.newFolder("home").toPath();
        Credentials c = new Credentials(Map.of(Credentials.ENV, "from-env")::get);
        c.load(home.toString());
        assertTrue(c.verify("admin", "from-env"));
        assertEquals("storport console: password of admin from STORPORT_CONSOLE_PASSWORD", c.announce());
        assertFalse(Files.exists(home.resolve(Credentials.FILE)));
        assertFalse(c.verify("admin", "admin"));
    }

    @Test
    public void anUnreadableStoredHashRefusesEveryLoginAndIsKept() throws Exception {
        Path home = tmp.newFolder("home").toPath();
        Files.writeString(home.resolve(Credentials.FILE), "admin\n");
        Credentials c = new Credentials(Map.<String, String>of()::get);
        c.load(home.toString());
        String said = c.announce();
        assertTrue(said, said.contains("cannot read") && said.contains("no login is possible"));
        assertFalse(c.verify("admin", "admin"));
        assertEquals("admin\n", Files.readString(home.resolve(Credentials.FILE)));
    }

    @Test
    public void withoutAHomeTheGeneratedPasswordLivesForTheRunOnly() {
        Credentials c = new Credentials(Map.<String, String>of()::get);
        c.load(null);
        String said = c.announce();
        assertTrue(said, said.contains("for this run only"));
        assertTrue(c.verify("admin", said.substring(said.lastIndexOf(' ') + 1)));
    }
}

package storport.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The console's one account, {@value #USER}, and its password. There is no default password:
 * <ul>
 * <li>{@value #ENV} set and not empty: that is the password (kept in memory, hashed);
 * <li>otherwise the hash stored in {@code $STORPORT_HOME/}{@value #FILE} from an earlier start;
 * <li>otherwise, once the console is reachable ({@link #announce()}), a random password is generated,
 *     its hash stored there (owner-only permissions) and the password printed that once.
 * </ul>
 * A stored file that cannot be read refuses every login (with the reason) rather than replace it.
 */
@Component(service = Credentials.class)
public class Credentials {
    static final String USER = "admin";
    static final String ENV = "STORPORT_CONSOLE_PASSWORD";
    static final String FILE = "console-admin.pbkdf2";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_LENGTH = 20;
    /** Verified credentials remembered (as salted digests) so HTTP Basic clients do not pay PBKDF2 on every request. */
    private static final int REMEMBERED = 32;

    enum Source { ENVIRONMENT, FILE, GENERATED, NONE }

    private final Function<String, String> environment;
    private final SecureRandom random = new SecureRandom();
    private final byte[] pepper = new byte[32];
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();
    private Path file;
    private volatile PasswordHash hash;
    private Source source = Source.NONE;
    private String problem;
    private boolean announced;

    public Credentials() {
        this(System::getenv);
    }

    Credentials(Function<String, String> environment) {
        this.environment = environment;
        random.nextBytes(pepper);
    }

    @Activate
    void activate(BundleContext context) {
        load(context.getProperty("storport.home"));
    }

    /** Takes the password from the environment or the stored hash; generates nothing yet. */
    synchronized void load(String home) {
        file = home == null || home.isBlank() ? null : Path.of(home).resolve(FILE);
        String fromEnvironment = environment.apply(ENV);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            hash = PasswordHash.create(fromEnvironment, random);
            source = Source.ENVIRONMENT;
            return;
        }
        if (file != null && Files.exists(file)) {
            try {
                hash = PasswordHash.parse(Files.readString(file, StandardCharsets.US_ASCII));
                source = Source.FILE;
            } catch (IOException | IllegalArgumentException e) {
                problem = "cannot read " + file + " (" + e.getMessage() + "): no login is possible; delete the file and restart"
                        + " for a new password, or set " + ENV;
            }
        }
    }

    /**
     * Called once the console is reachable: generates the password if there is none yet and says
     * where the password comes from. The generated password appears in the returned text this
     * once and never again.
     */
    synchronized String announce() {
        if (problem != null) {
            return "storport console: " + problem;
        }
        if (hash == null) {
            String password = generate();
            PasswordHash h = PasswordHash.create(password, random);
            if (file == null) {
                hash = h;
                source = Source.GENERATED;
                return "storport console: password of " + USER + " for this run only (no STORPORT_HOME to keep it): " + password;
            }
            try {
                store(file, h);
            } catch (IOException e) {
                problem = "cannot store the generated password's hash in " + file + " (" + e + "): no login is possible;"
                        + " fix the folder or set " + ENV;
                return "storport console: " + problem;
            }
            hash = h;
            source = Source.GENERATED;
            announced = true;
            return "storport console: password of " + USER + " (generated now and shown only this once; its hash is in " + file
                    + "): " + password;
        }
        return switch (source) {
            case ENVIRONMENT -> "storport console: password of " + USER + " from " + ENV;
            case FILE -> "storport console: password of " + USER + " as printed at its first start (hash in " + file
                    + "; delete that file and restart for a new one, or set " + ENV + ")";
            default -> announced ? "storport console: password of " + USER + " as printed above" : "";
        };
    }

    Source source() {
        return source;
    }

    /** Whether these are the console's credentials. */
    /** Whether this password logged in lately (remembered as a salted digest): true needs no PBKDF2. */
    boolean remembered(String user, String password) {
        return user != null && password != null && hash != null && verified.containsKey(digest(user + '\0' + password));
    }

    boolean verify(String user, String password) {
        PasswordHash h = hash;
        // a NUL would pass as the key padding PBKDF2's HMAC adds: "pw" and "pw\0\0" must not both log in
        if (h == null || user == null || password == null || !USER.equals(user) || password.indexOf('\0') >= 0) {
            return false;
        }
        // always the PBKDF2 (a login form's check must cost what a guess costs); remembered() is the shortcut for HTTP Basic
        String key = digest(user + '\0' + password);
        if (!h.matches(password)) {
            return false;
        }
        if (verified.size() >= REMEMBERED) {
            verified.clear();
        }
        verified.put(key, Boolean.TRUE);
        return true;
    }

    private String digest(String s) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(pepper);
            return java.util.HexFormat.of().formatHex(d.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String generate() {
        StringBuilder sb = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Writes the hash, readable by the owner only from the first byte on, and moves it into place atomically. */
    static void store(Path file, PasswordHash hash) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        Path tmp = Files.createTempFile(dir, ".console-admin", ".tmp", PosixFilePermissions.asFileAttribute(ownerOnly));
        try {
            Files.writeString(tmp, hash.format() + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

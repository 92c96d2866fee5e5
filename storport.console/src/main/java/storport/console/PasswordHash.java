package storport.console;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash (JDK only), stored as one line:
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}.
 */
record PasswordHash(int iterations, byte[] salt, byte[] hash) {
    static final String SCHEME = "pbkdf2-sha256";
    /** OWASP's 2023 advice for PBKDF2-HMAC-SHA256 is 600,000; a login costs about a quarter second on a small VM. */
    static final int ITERATIONS = 600_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    PasswordHash {
        salt = salt.clone();
        hash = hash.clone();
    }

    /** Hashes a password with a fresh random salt. */
    static PasswordHash create(String password, SecureRandom random) {
        return create(password, random, ITERATIONS);
    }

    static PasswordHash create(String password, SecureRandom random, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /**
     * Reads the stored form.
     *
     * @throws IllegalArgumentException when the text is not a hash this class wrote
     */
    static PasswordHash parse(String stored) {
        String[] parts = stored.strip().split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("not a " + SCHEME + " password hash");
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (iterations < 10_000 || iterations > 10_000_000 || salt.length < SALT_BYTES || hash.length != HASH_BITS / 8) {
                throw new IllegalArgumentException("implausible " + SCHEME + " parameters");
            }
            return new PasswordHash(iterations, salt, hash);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad iteration count in the password hash");
        }
    }

    /** Whether the password is the one hashed; constant time in the password's hash. */
    boolean matches(String password) {
        return password != null && MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    /** The stored form, without a line break. */
    String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt) && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(salt) + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return SCHEME + "[" + iterations + " iterations]";
    }
}

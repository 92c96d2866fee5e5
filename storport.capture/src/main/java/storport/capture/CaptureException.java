package storport.capture;

import java.io.IOException;

/**
 * A capture that cannot be written or read as one: not a gzip'd tar, truncated, corrupted, unsafe
 * (absolute or escaping names, links leading out), too large, or without a valid manifest. The
 * message names the file and says what is wrong.
 */
public class CaptureException extends IOException {

    private static final long serialVersionUID = 1L;

    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}

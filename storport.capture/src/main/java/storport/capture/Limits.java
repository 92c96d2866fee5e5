package storport.capture;

/**
 * How large a capture may be. The writer refuses to produce, and the reader to open, anything
 * beyond these, so a capture can always be held in memory.
 *
 * @param maxEntryBytes the largest single entry (file content, or extended header)
 * @param maxTotalBytes the largest sum of all entry contents, uncompressed
 * @param maxEntries    the most entries (files, directories and links)
 */
record Limits(long maxEntryBytes, long maxTotalBytes, int maxEntries) {

    static final long MIB = 1024L * 1024L;

    /** 16 MiB an entry, 256 MiB in all, 200,000 entries. */
    static final Limits DEFAULT = new Limits(16 * MIB, 256 * MIB, 200_000);

    static String size(long bytes) {
        return bytes % MIB == 0 ? bytes / MIB + " MiB" : bytes + " bytes";
    }
}

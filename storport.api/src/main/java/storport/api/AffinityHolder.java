package storport.api;

/** An out parameter for a {@code GROUP_AFFINITY} ({@code PGROUP_AFFINITY}). Not thread-safe. */
public final class AffinityHolder {
    public int group;
    public long mask;

    @Override
    public String toString() {
        return group + ":0x" + Long.toHexString(mask);
    }
}

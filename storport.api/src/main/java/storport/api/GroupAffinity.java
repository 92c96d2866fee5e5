package storport.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Windows {@code GROUP_AFFINITY}: a set of processors inside one processor group.
 *
 * @param group the processor group
 * @param mask  bit {@code n} set = processor number {@code n} of that group (a KAFFINITY)
 */
public record GroupAffinity(int group, long mask) {

    /** The mask as StorPort tools print it, e.g. {@code 0x3}. */
    public String maskHex() {
        return "0x" + Long.toHexString(mask);
    }

    /** The processor numbers in the mask, ascending. */
    public List<Integer> numbers() {
        List<Integer> out = new ArrayList<>(Long.bitCount(mask));
        for (long m = mask; m != 0; m &= m - 1) {
            out.add(Long.numberOfTrailingZeros(m));
        }
        return out;
    }

    @Override
    public String toString() {
        return group + ":" + maskHex();
    }
}

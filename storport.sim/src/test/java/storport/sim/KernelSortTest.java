package storport.sim;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.Test;

public class KernelSortTest {

    /** The ids of keys[] in the order the kernel's sort leaves them, after checking the keys come out ascending. */
    private static int[] sort(KernelSort sort, int[] keys) {
        int[] id = sort.order(keys);
        for (int i = 1; i < id.length; i++) {
            assertTrue(sort + " left " + Arrays.toString(id), keys[id[i - 1]] <= keys[id[i]]);
        }
        return id;
    }

    @Test
    public void equalNodesComeOutInTheOrderRealKernelsVisitThem() {
        // seen on booted kernels (linux-kernel-maps.txt): 2, 3, 4 and 8 equal NUMA nodes
        assertArrayEquals(new int[] {1, 0}, sort(KernelSort.SINGLE_POP, new int[2]));
        assertArrayEquals(new int[] {1, 0}, sort(KernelSort.DOUBLE_POP, new int[2]));
        assertArrayEquals(new int[] {1, 2, 0}, sort(KernelSort.SINGLE_POP, new int[3]));
        assertArrayEquals(new int[] {2, 1, 0}, sort(KernelSort.DOUBLE_POP, new int[3]));
        assertArrayEquals(new int[] {1, 2, 3, 0}, sort(KernelSort.SINGLE_POP, new int[4]));
        assertArrayEquals(new int[] {1, 3, 2, 0}, sort(KernelSort.DOUBLE_POP, new int[4]));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 0}, sort(KernelSort.SINGLE_POP, new int[8]));
        assertArrayEquals(new int[] {1, 3, 4, 5, 6, 7, 2, 0}, sort(KernelSort.DOUBLE_POP, new int[8]));
    }

    @Test
    public void bothSortAscendingAndNeverLoseAnElement() {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            int[] keys = new int[random.nextInt(40)];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = random.nextInt(5);
            }
            for (KernelSort s : KernelSort.values()) {
                int[] ids = sort(s, keys);   // sort() checks ascending keys
                int[] sorted = ids.clone();
                Arrays.sort(sorted);
                int[] all = new int[keys.length];
                Arrays.setAll(all, i -> i);
                assertArrayEquals(all, sorted);
            }
        }
    }
}

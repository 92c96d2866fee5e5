package storport.sim;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.Test;

public class KernelSortTest {

    /** Sorts keys[] with their ids as the kernel sorts node_groups[], returns the ids in the order left. */
    private static int[] sort(KernelSort sort, int[] keys) {
        int[] k = keys.clone();
        int[] id = new int[k.length];
        Arrays.setAll(id, i -> i);
        sort.sort(k.length, (i, j) -> Integer.compare(k[i], k[j]), (i, j) -> {
            int t = k[i];
            k[i] = k[j];
            k[j] = t;
            t = id[i];
            id[i] = id[j];
            id[j] = t;
        });
        for (int i = 1; i < k.length; i++) {
            assertTrue(sort + " left " + Arrays.toString(k), k[i - 1] <= k[i]);
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

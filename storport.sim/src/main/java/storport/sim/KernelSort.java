package storport.sim;

/**
 * The Linux kernel's {@code sort()} (lib/sort.c), a bottom-up heapsort, ported for its one property that
 * matters here: it is not stable, and the order it leaves equal elements in decides which NUMA node
 * {@code group_cpus_evenly()} serves first. Both variants are ported line for line (element indexes
 * instead of byte offsets), because releases differ:
 * <ul>
 * <li>{@link #SINGLE_POP}: one root extracted per round, {@code >= 0} on the sift-down path: Linux 5.2 to
 * 6.8 (the kernel sorts nodes with it since 5.4); 4 equal nodes come out 1, 2, 3, 0 (6.1 booted);</li>
 * <li>{@link #DOUBLE_POP}: the two largest extracted per round, {@code > 0} on the sift-down path (6.9,
 * commits db946a422260 and 0e02ca29a563) and the last two or three elements finished after the loop
 * (6.11, commit 41ed7804): Linux 6.11 and later; 4 equal nodes come out 1, 3, 2, 0 (6.12 booted). 6.9 and
 * 6.10 differ from it for some odd element counts, and are not modelled.</li>
 * </ul>
 * Both are checked against kernels booted under QEMU (storport.sim/src/test/kernel/linux-oracle.sh).
 */
enum KernelSort {
    SINGLE_POP,
    DOUBLE_POP;

    /** Compares elements i and j of the array being sorted, as the kernel's cmp_func(base + i, base + j). */
    interface Comparison {
        int compare(int i, int j);
    }

    /** Swaps elements i and j of the array being sorted. */
    interface Swap {
        void swap(int i, int j);
    }

    /**
     * The indexes of {@code keys} in the order this sort leaves them, comparing as group_cpus.c's
     * ncpus_cmp_func does: {@code l - r}, an unsigned difference read as int (wrapping as in C).
     */
    int[] order(int[] keys) {
        int[] key = keys.clone();
        int[] index = new int[key.length];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        sort(key.length, (i, j) -> key[i] - key[j], (i, j) -> {
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
            t = key[i];
            key[i] = key[j];
            key[j] = t;
        });
        return index;
    }

    /** Sorts {@code num} elements in place, in exactly the kernel's sequence of comparisons and swaps. */
    void sort(int num, Comparison cmp, Swap swap) {
        if (this == SINGLE_POP) {
            singlePop(num, cmp, swap);
        } else {
            doublePop(num, cmp, swap);
        }
    }

    private static void singlePop(int num, Comparison cmp, Swap swap) {
        int n = num;
        int a = num / 2;
        if (a == 0) {
            return;
        }
        for (;;) {
            if (a != 0) {              // building the heap: sift down --a
                a--;
            } else if (--n != 0) {     // sorting: extract the root to --n
                swap.swap(0, n);
            } else {
                break;
            }
            siftDown(a, n, cmp, swap, false);
        }
    }

    private static void doublePop(int num, Comparison cmp, Swap swap) {
        int n = num;
        int a = num / 2;
        int shift = 0;
        if (a == 0) {
            return;
        }
        for (;;) {
            if (a != 0) {              // building the heap (and, after a double pop, re-sifting the root)
                a -= 1 << shift;
            } else if (n > 3) {        // sorting: extract the two largest elements
                n--;
                swap.swap(0, n);
                shift = cmp.compare(1, 2) <= 0 ? 1 : 0;
                a = 1 << shift;
                n--;
                swap.swap(a, n);
            } else {
                break;
            }
            siftDown(a, n, cmp, swap, true);
        }
        n--;
        swap.swap(0, n);
        if (n == 2 && cmp.compare(0, 1) > 0) {
            swap.swap(0, 1);
        }
    }

    /**
     * The bottom-up sift-down of element a in the heap [0, n): the path of larger children down to a leaf,
     * then back up to where a belongs. {@code strict}: the later lib/sort.c takes the left child only when
     * it is strictly larger.
     */
    private static void siftDown(int a, int n, Comparison cmp, Swap swap, boolean strict) {
        int b = a;
        int c;
        int d;
        for (;;) {
            c = 2 * b + 1;
            d = c + 1;
            if (d >= n) {
                break;
            }
            int r = cmp.compare(c, d);
            b = (strict ? r > 0 : r >= 0) ? c : d;
        }
        if (d == n) {                  // the last leaf has no sibling
            b = c;
        }
        while (b != a && cmp.compare(a, b) >= 0) {
            b = (b - 1) / 2;
        }
        c = b;                         // where a belongs
        while (b != a) {               // shift it into place
            b = (b - 1) / 2;
            swap.swap(b, c);
        }
    }
}

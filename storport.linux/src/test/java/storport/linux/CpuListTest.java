package storport.linux;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class CpuListTest {
    private static final String ONLINE = "/sys/devices/system/cpu/online";

    @Test
    public void rangesAndSinglesAscending() throws Exception {
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 10, 11}, CpuList.parse(ONLINE, "0-3,8,10-11\n"));
    }

    @Test
    public void blkMqListsHaveASpaceAfterEachComma() throws Exception {
        assertArrayEquals(new int[] {0, 1, 4, 5}, CpuList.parse("/sys/block/vda/mq/0/cpu_list", "0, 1, 4, 5\n"));
    }

    @Test
    public void emptyIsTheEmptySet() throws Exception {
        assertArrayEquals(new int[0], CpuList.parse(ONLINE, ""));
        assertArrayEquals(new int[0], CpuList.parse(ONLINE, "\n"));
    }

    @Test
    public void unorderedAndOverlappingItemsGiveEachCpuOnce() throws Exception {
        assertArrayEquals(new int[] {0, 1, 3, 65535}, CpuList.parse(ONLINE, "65535,3,0-1,1"));
    }

    @Test
    public void aLetterIsNamedWithThePath() {
        assertEquals("/sys/devices/system/cpu/online: '0-x' is not a CPU list: 'x' is not a CPU number",
                failure(ONLINE, "0-x\n").getMessage());
    }

    @Test
    public void aTruncatedRangeIsAnError() {
        LinuxInputException e = failure("/sys/devices/system/node/node1/cpulist", "0-\n");
        assertEquals("/sys/devices/system/node/node1/cpulist", e.path());
        assertEquals("'0-' is not a CPU list: a number is missing", e.reason());
    }

    @Test
    public void binaryGarbageIsQuotedReadably() {
        String garbage = new String(new byte[] {(byte) 0xff, (byte) 0xfe, 0x01, '1'}, StandardCharsets.UTF_8);
        assertEquals("'\\ufffd\\ufffd\\u00011' is not a CPU list: '\\ufffd\\ufffd\\u00011' is not a CPU number",
                failure(ONLINE, garbage).reason());
    }

    @Test
    public void numbersAboveTheLimitBackwardRangesAndEmptyItemsAreErrors() {
        assertEquals("'65536' is not a CPU list: CPU 65536 is outside 0..65535", failure(ONLINE, "65536").reason());
        assertEquals("'0-99999999999' is not a CPU list: '99999999999' is not a CPU number", failure(ONLINE, "0-99999999999").reason());
        assertEquals("'3-1' is not a CPU list: range 3-1 runs backwards", failure(ONLINE, "3-1").reason());
        assertEquals("'0,,1' is not a CPU list: a number is missing", failure(ONLINE, "0,,1").reason());
        assertEquals("'-1' is not a CPU list: a number is missing", failure(ONLINE, "-1").reason());
    }

    private static LinuxInputException failure(String path, String text) {
        try {
            CpuList.parse(path, text);
        } catch (LinuxInputException e) {
            return e;
        }
        fail("accepted " + text);
        return null;
    }
}

package storport.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.fail;

import org.junit.Test;

public class StorStatusTest {

    @Test
    public void codesAreTheStorportHValues() {
        assertEquals(0x00000000, StorStatus.SUCCESS.code());
        assertEquals(0xC1000001, StorStatus.UNSUCCESSFUL.code());
        assertEquals(0xC1000002, StorStatus.NOT_IMPLEMENTED.code());
        assertEquals(0xC1000003, StorStatus.INSUFFICIENT_RESOURCES.code());
        assertEquals(0xC1000004, StorStatus.BUFFER_TOO_SMALL.code());
        assertEquals(0xC1000005, StorStatus.ACCESS_DENIED.code());
        assertEquals(0xC1000006, StorStatus.INVALID_PARAMETER.code());
        assertEquals(0xC1000007, StorStatus.INVALID_DEVICE_REQUEST.code());
        assertEquals(0xC1000008, StorStatus.INVALID_IRQL.code());
        assertEquals(0xC1000009, StorStatus.INVALID_DEVICE_STATE.code());
        assertEquals(0xC100000A, StorStatus.INVALID_BUFFER_SIZE.code());
        assertEquals(0xC100000B, StorStatus.UNSUPPORTED_VERSION.code());
        assertEquals(0xC100000C, StorStatus.BUSY.code());
        assertEquals(13, StorStatus.values().length);
        assertEquals(3238002694L, Integer.toUnsignedLong(StorStatus.INVALID_PARAMETER.code()));
    }

    @Test
    public void symbols() {
        assertEquals("STOR_STATUS_INVALID_PARAMETER", StorStatus.INVALID_PARAMETER.symbol());
        assertEquals("STOR_STATUS_SUCCESS", StorStatus.SUCCESS.symbol());
        assertEquals("STOR_STATUS_UNSUCCESSFUL", StorStatus.UNSUCCESSFUL.symbol());
        assertEquals("STOR_STATUS_BUSY", StorStatus.BUSY.symbol());
    }

    @Test
    public void ofRoundTrips() {
        for (StorStatus s : StorStatus.values()) {
            assertSame(s, StorStatus.of(s.code()));
        }
        assertSame(StorStatus.INVALID_PARAMETER, StorStatus.of(0xC1000006));
    }

    @Test
    public void ofRejectsUnknownCodes() {
        for (int code : new int[] {1, -1, 0xC1000000, 0xC100000D, 0xC0000001, 0x12345678}) {
            try {
                StorStatus.of(code);
                fail("0x" + Integer.toHexString(code) + " is not a STOR_STATUS code");
            } catch (IllegalArgumentException e) {
                assertEquals("not a STOR_STATUS code: 0x" + Integer.toHexString(code), e.getMessage());
            }
        }
    }

    @Test
    public void exceptionCarriesStatusAndReason() {
        StorPortException e = new StorPortException(StorStatus.BUSY, "try later");
        assertSame(StorStatus.BUSY, e.status());
        assertEquals("try later", e.reason());
        assertEquals("STOR_STATUS_BUSY: try later", e.getMessage());
        StorPortException i = StorPortException.invalidParameter("bad");
        assertSame(StorStatus.INVALID_PARAMETER, i.status());
        assertEquals("STOR_STATUS_INVALID_PARAMETER: bad", i.getMessage());
    }

    @Test(expected = IllegalArgumentException.class)
    public void successIsNotAnError() {
        new StorPortException(StorStatus.SUCCESS, "fine");
    }
}

package storport.api;

/**
 * Windows {@code PROCESSOR_NUMBER}: a processor group and the processor's number inside it.
 *
 * @param group  the processor group, {@code 0..groups-1}
 * @param number the processor inside its group, {@code 0..63}
 */
public record ProcessorNumber(int group, int number) {
    /** A processor group holds at most this many logical processors. */
    public static final int MAX_GROUP_SIZE = 64;

    /** {@code INVALID_PROCESSOR_INDEX}, 0xFFFFFFFF: what {@code KeGetProcessorIndexFromNumber} returns for an invalid number. */
    public static final int INVALID_PROCESSOR_INDEX = 0xFFFFFFFF;

    public ProcessorNumber {
        if (group < 0 || group > 0xFFFF) {
            throw StorPortException.invalidParameter("processor group " + group + " is outside 0..65535");
        }
        if (number < 0 || number >= MAX_GROUP_SIZE) {
            throw StorPortException.invalidParameter("processor number " + number + " is outside 0..63");
        }
    }

    @Override
    public String toString() {
        return group + ":" + number;
    }
}

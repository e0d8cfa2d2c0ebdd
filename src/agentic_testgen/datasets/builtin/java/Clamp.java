package atg.examples;

/** Keep numbers inside a closed range: clamp, range checks and wrap-around. */
public final class Clamp {
    private Clamp() {}

    private static void checkBounds(double min, double max) {
        if (Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("bounds must be numbers");
        }
        if (min > max) {
            throw new IllegalArgumentException(
                    "min (" + min + ") is greater than max (" + max + ")");
        }
    }

    public static int clamp(int value, int min, int max) {
        checkBounds(min, max);
        return Math.max(min, Math.min(max, value));
    }

    public static double clamp(double value, double min, double max) {
        checkBounds(min, max);
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("value is NaN");
        }
        if (value < min) {
            return min;
        }
        return value > max ? max : value;
    }

    public static boolean inRange(int value, int min, int max, boolean inclusive) {
        checkBounds(min, max);
        return inclusive ? value >= min && value <= max : value > min && value < max;
    }

    /** Wrap value into [min, max): 370 degrees becomes 10, -1 becomes 359. */
    public static int wrap(int value, int min, int max) {
        checkBounds(min, max);
        if (min == max) {
            throw new IllegalArgumentException("empty range");
        }
        return Math.floorMod(value - min, max - min) + min;
    }
}

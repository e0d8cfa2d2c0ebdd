package atg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import atg.examples.IntervalMerger.Interval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

class IntervalMergerTest {
    private final IntervalMerger merger = new IntervalMerger(true);

    private static Interval iv(String start, String end) {
        return Interval.of(start, end);
    }

    @ParameterizedTest
    @CsvSource({
        "2024-01-01, 2024-01-01, 1",
        "2024-02-28, 2024-03-01, 3",
        "2023-12-31, 2024-01-01, 2"
    })
    void daysIncludeBothEnds(String start, String end, long days) {
        assertEquals(days, iv(start, end).days());
    }

    @Test
    void intervalsMustNotEndBeforeTheyStart() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> iv("2024-02-02", "2024-02-01"));
        assertEquals("interval ends before it starts: 2024-02-02..2024-02-01", error.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> new Interval(null, LocalDate.of(2024, 1, 1)));
        assertThrows(
                IllegalArgumentException.class, () -> new Interval(LocalDate.of(2024, 1, 1), null));
        assertThrows(DateTimeParseException.class, () -> iv("2023-02-29", "2023-03-01"));
    }

    @Test
    void mergesOverlappingIntervalsInAnyOrder() {
        List<Interval> merged =
                merger.merge(
                        List.of(iv("2024-01-10", "2024-01-20"), iv("2024-01-01", "2024-01-12")));
        assertEquals(List.of(iv("2024-01-01", "2024-01-20")), merged);
    }

    @Test
    void aContainedIntervalDoesNotShortenTheOneAroundIt() {
        List<Interval> merged =
                merger.merge(
                        List.of(iv("2024-01-01", "2024-01-31"), iv("2024-01-05", "2024-01-06")));
        assertEquals(List.of(iv("2024-01-01", "2024-01-31")), merged);
    }

    @Test
    void touchingIntervalsMergeOnlyWhenAskedTo() {
        List<Interval> touching =
                List.of(iv("2024-01-01", "2024-01-31"), iv("2024-02-01", "2024-02-10"));
        assertEquals(List.of(iv("2024-01-01", "2024-02-10")), merger.merge(touching));
        assertEquals(touching, new IntervalMerger(false).merge(touching));
    }

    @Test
    void separateIntervalsStayApartAndTheInputIsNotChanged() {
        List<Interval> apart =
                List.of(iv("2025-01-05", "2025-01-05"), iv("2024-12-30", "2025-01-02"));
        assertEquals(List.of(apart.get(1), apart.get(0)), merger.merge(apart));
        assertEquals(List.of(), merger.merge(List.of()));
    }

    @Test
    void totalDaysCountsEachDayOnce() {
        assertEquals(
                5,
                merger.totalDays(
                        List.of(iv("2024-02-27", "2024-03-01"), iv("2024-02-29", "2024-03-02"))));
    }

    @Test
    void gapsInsideAWindow() {
        List<Interval> covered =
                List.of(iv("2024-01-03", "2024-01-04"), iv("2024-01-08", "2024-01-20"));
        assertEquals(
                List.of(iv("2024-01-01", "2024-01-02"), iv("2024-01-05", "2024-01-07")),
                merger.gaps(covered, iv("2024-01-01", "2024-01-10")));
    }

    @Test
    void intervalsOutsideTheWindowAreIgnoredAndTheTailIsAGap() {
        List<Interval> covered =
                List.of(iv("2023-12-01", "2023-12-20"), iv("2024-01-01", "2024-01-02"));
        assertEquals(
                List.of(iv("2024-01-03", "2024-01-05")),
                merger.gaps(covered, iv("2024-01-01", "2024-01-05")));
    }

    @Test
    void aCoveredWindowHasNoGaps() {
        assertEquals(
                List.of(),
                merger.gaps(
                        List.of(iv("2024-01-01", "2024-12-31")), iv("2024-06-01", "2024-06-30")));
    }
}

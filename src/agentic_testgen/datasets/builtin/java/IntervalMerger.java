package atg.examples;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Merge date intervals whose both ends are included, count their days and find the gaps. */
public final class IntervalMerger {
    /** The days from start to end, both included. */
    public record Interval(LocalDate start, LocalDate end) {
        public Interval {
            if (start == null || end == null) {
                throw new IllegalArgumentException("start and end are required");
            }
            if (end.isBefore(start)) {
                throw new IllegalArgumentException(
                        "interval ends before it starts: " + start + ".." + end);
            }
        }

        public static Interval of(String start, String end) {
            return new Interval(LocalDate.parse(start), LocalDate.parse(end));
        }

        public long days() {
            return ChronoUnit.DAYS.between(start, end) + 1;
        }
    }

    private final boolean mergeAdjacent;

    /** With mergeAdjacent, intervals that touch (one ends the day before the next starts) merge. */
    public IntervalMerger(boolean mergeAdjacent) {
        this.mergeAdjacent = mergeAdjacent;
    }

    public List<Interval> merge(List<Interval> intervals) {
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparing(Interval::start).thenComparing(Interval::end));
        List<Interval> merged = new ArrayList<>();
        for (Interval next : sorted) {
            if (merged.isEmpty()) {
                merged.add(next);
                continue;
            }
            Interval last = merged.get(merged.size() - 1);
            LocalDate reach = mergeAdjacent ? last.end().plusDays(1) : last.end();
            if (next.start().isAfter(reach)) {
                merged.add(next);
            } else if (next.end().isAfter(last.end())) {
                merged.set(merged.size() - 1, new Interval(last.start(), next.end()));
            }
        }
        return merged;
    }

    public long totalDays(List<Interval> intervals) {
        return merge(intervals).stream().mapToLong(Interval::days).sum();
    }

    /** The days inside window that no interval covers. */
    public List<Interval> gaps(List<Interval> intervals, Interval window) {
        List<Interval> gaps = new ArrayList<>();
        LocalDate cursor = window.start();
        for (Interval covered : merge(intervals)) {
            LocalDate from = max(covered.start(), window.start());
            LocalDate to = min(covered.end(), window.end());
            if (from.isAfter(to)) {
                continue;
            }
            if (from.isAfter(cursor)) {
                gaps.add(new Interval(cursor, from.minusDays(1)));
            }
            cursor = max(cursor, to.plusDays(1));
        }
        if (!cursor.isAfter(window.end())) {
            gaps.add(new Interval(cursor, window.end()));
        }
        return gaps;
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}

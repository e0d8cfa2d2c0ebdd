"""Merge and query closed integer intervals."""


def merge(intervals):
    ordered = sorted(intervals)
    merged = []
    for start, end in ordered:
        if start > end:
            raise ValueError(f"bad interval {(start, end)}")
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def covers(intervals, point):
    return any(start <= point <= end for start, end in merge(intervals))


def total_length(intervals):
    return sum(end - start + 1 for start, end in merge(intervals))

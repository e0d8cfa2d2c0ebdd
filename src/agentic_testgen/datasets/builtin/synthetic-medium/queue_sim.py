"""A first-in first-out ticket queue with priorities."""

import heapq


class TicketQueue:
    def __init__(self):
        self._heap = []
        self._counter = 0

    def submit(self, title, priority=1):
        if priority not in (0, 1, 2):
            raise ValueError("priority must be 0 (urgent), 1 or 2")
        heapq.heappush(self._heap, (priority, self._counter, title))
        self._counter += 1

    def next(self):
        if not self._heap:
            return None
        return heapq.heappop(self._heap)[2]

    def pending(self):
        return [title for _, _, title in sorted(self._heap)]

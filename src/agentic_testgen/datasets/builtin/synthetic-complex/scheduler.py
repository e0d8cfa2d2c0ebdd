"""Book meetings into rooms without overlaps."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Meeting:
    title: str
    start: int
    end: int

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError("a meeting must end after it starts")

    def overlaps(self, other):
        return self.start < other.end and other.start < self.end


class Room:
    def __init__(self, name, opens=8, closes=18):
        self.name = name
        self.opens = opens
        self.closes = closes
        self.meetings = []

    def fits(self, meeting):
        inside = self.opens <= meeting.start and meeting.end <= self.closes
        return inside and not any(meeting.overlaps(m) for m in self.meetings)

    def book(self, meeting):
        if not self.fits(meeting):
            raise ValueError(f"{meeting.title} does not fit in {self.name}")
        self.meetings.append(meeting)
        self.meetings.sort(key=lambda m: m.start)

    def free_slots(self):
        slots, cursor = [], self.opens
        for meeting in self.meetings:
            if meeting.start > cursor:
                slots.append((cursor, meeting.start))
            cursor = max(cursor, meeting.end)
        if cursor < self.closes:
            slots.append((cursor, self.closes))
        return slots


def book_anywhere(rooms, meeting):
    for room in rooms:
        if room.fits(meeting):
            room.book(meeting)
            return room.name
    return None

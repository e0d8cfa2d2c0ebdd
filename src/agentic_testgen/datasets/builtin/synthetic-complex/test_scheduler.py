import pytest
from scheduler import Meeting, Room, book_anywhere


def test_booking_splits_free_time():
    room = Room("blue")
    room.book(Meeting("standup", 9, 10))
    assert room.free_slots() == [(8, 9), (10, 18)]


def test_overlapping_meeting_goes_to_the_next_room():
    blue, red = Room("blue"), Room("red")
    blue.book(Meeting("a", 9, 11))
    assert book_anywhere([blue, red], Meeting("b", 10, 12)) == "red"


def test_meeting_must_end_after_start():
    with pytest.raises(ValueError):
        Meeting("bad", 10, 10)

from queue_sim import TicketQueue


def test_urgent_ticket_comes_first_then_submission_order():
    queue = TicketQueue()
    queue.submit("b")
    queue.submit("c")
    queue.submit("a", priority=0)
    assert [queue.next(), queue.next(), queue.next()] == ["a", "b", "c"]


def test_empty_queue_returns_none():
    assert TicketQueue().next() is None

"""Hotline call-backs: slots, operators in turn, rebookings ahead of new call-backs. Pure."""

import datetime as dt

from puente_registration import callbacks
from puente_registration.callbacks import HOTLINE, Booking, Outcome, Status, book

UTC = dt.UTC
# Monday 30 November 2026, 09:10 in Mexico City (UTC-6).
MONDAY_MORNING = dt.datetime(2026, 11, 30, 15, 10, tzinfo=UTC)
TEN = dt.datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 10:00 in Mexico City
QUARTER = dt.timedelta(minutes=15)


def book_many(count: int, *, after=MONDAY_MORNING, rebooking=False, taken=None):
    taken = set() if taken is None else taken
    made = []
    for _ in range(count):
        booking = book(after=after, taken=taken, rebooking=rebooking)
        taken.add((booking.due_at, booking.operator))
        made.append(booking)
    return made


def test_a_new_call_back_is_in_the_next_working_hour_and_operators_take_turns():
    first, second, *_ = made = book_many(len(HOTLINE.operators) + 1)
    assert first == Booking(TEN + QUARTER, "operator-01")
    assert second == Booking(TEN + QUARTER, "operator-02")
    assert made[-1] == Booking(TEN + 2 * QUARTER, "operator-01")


def test_an_operator_makes_at_most_four_calls_an_hour_one_kept_for_rebookings():
    made = book_many(3 * len(HOTLINE.operators) + 1)
    in_ten = [b for b in made if TEN <= b.due_at < TEN + 4 * QUARTER]
    assert len(in_ten) == 3 * len(HOTLINE.operators)
    assert all(b.due_at != TEN for b in made)  # the first call of each slot stays free
    assert made[-1].due_at == TEN + dt.timedelta(hours=1, minutes=15)


def test_a_rebooked_call_back_goes_ahead_of_the_new_ones_in_the_next_slot():
    taken: set = set()
    new = book_many(3 * len(HOTLINE.operators), taken=taken)
    (rebooked,) = book_many(1, after=MONDAY_MORNING + QUARTER, rebooking=True, taken=taken)
    assert rebooked == Booking(TEN, "operator-01")
    assert all(rebooked.due_at < b.due_at for b in new)


def test_rebookings_fill_the_next_slot_before_waiting_for_a_later_one():
    made = book_many(len(HOTLINE.operators) * 4, rebooking=True)
    assert {b.due_at for b in made} == {TEN + n * QUARTER for n in range(4)}


def test_no_call_back_at_night_or_on_sunday():
    saturday_evening = dt.datetime(2026, 11, 29, 1, 30, tzinfo=UTC)  # Sat 19:30 in Mexico
    (booking,) = book_many(1, after=saturday_evening)
    monday_eight = dt.datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert booking.due_at == monday_eight + QUARTER


def test_a_call_back_is_missed_once_its_time_and_grace_have_passed():
    assert not callbacks.is_missed(TEN, TEN + callbacks.GRACE - dt.timedelta(seconds=1))
    assert callbacks.is_missed(TEN, TEN + callbacks.GRACE)


def test_recording_names_each_problem():
    errors = callbacks.record_errors(status=Status.RECORDED, operator="nobody", outcome="maybe")
    assert {e.field: e.message for e in errors} == {
        "callback_id": "is already recorded",
        "operator": "unknown operator 'nobody'",
        "outcome": "unknown outcome 'maybe'; one of reached, no_answer, line_busy, wrong_number",
    }
    missed = callbacks.record_errors(
        status=Status.MISSED, operator="operator-01", outcome="reached"
    )
    assert [e.message for e in missed] == ["was missed and rebooked: record the new one"]
    assert (
        callbacks.record_errors(status=Status.BOOKED, operator="operator-02", outcome="reached")
        == []
    )


def test_an_unanswered_call_is_tried_again_up_to_the_limit():
    assert callbacks.calls_again(Outcome.NO_ANSWER, unanswered_before=0)
    assert callbacks.calls_again(Outcome.LINE_BUSY, unanswered_before=1)
    assert not callbacks.calls_again(Outcome.NO_ANSWER, unanswered_before=2)
    assert not callbacks.calls_again(Outcome.REACHED, unanswered_before=0)
    assert not callbacks.calls_again(Outcome.WRONG_NUMBER, unanswered_before=0)

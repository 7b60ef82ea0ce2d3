import datetime as dt

from puente_notifications import domain
from puente_schemas.common import Member

NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)


def member(**changes):
    values = {
        "member_id": "m",
        "given_name": "A",
        "family_name": "B",
        "birth_date": dt.date(1990, 1, 1),
        "in_mpp": True,
        "a_number": "A123456789",
        "mpp_enrollment_date": dt.date(2019, 1, 1),
        "case_category": "active",
        "language": "spa",
    }
    return Member(**(values | changes))


def test_shelter_notice_tells_needs_but_no_names():
    needs = domain.needs_of(
        [member(language="mam", needs_interpreter=True), member(language="spa", given_name="Rosa")]
    )
    notice = domain.expected_arrival("casa-alitas", "nogales", NOW, needs, ["medical"])
    assert "family of 2" in notice.text and "mam, spa" in notice.text
    assert "interpreter needed" in notice.text and "needs: medical" in notice.text
    assert "Rosa" not in notice.text and "A123456789" not in notice.text
    assert notice.recipient == "casa-alitas"

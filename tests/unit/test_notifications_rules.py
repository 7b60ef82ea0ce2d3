import datetime as dt

from puente_notifications import domain
from puente_processing.domain import needs
from puente_schemas.common import Member
from puente_schemas.events import ShelterAssigned

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
    shelter = domain.Recipient(id="casa-alitas")
    notice = domain.written(domain.expected_arrival(shelter, "nogales", NOW, needs, ["medical"]))
    assert notice.language == "spa"  # a shelter no organisation speaks for: Spanish first
    assert "familia de 2 personas" in notice.text and "necesita intérprete" in notice.text
    english = domain.written(
        domain.expected_arrival(shelter, "nogales", NOW, needs, ["medical"]), ("eng",)
    ).text
    assert "family of 2" in english and "mam, spa" in english
    assert "interpreter needed" in english and "needs: medical" in english
    assert "Rosa" not in english and "A123456789" not in english


def test_a_shelter_reads_the_needs_processing_published_in_its_own_language():
    family = [
        member(language="mam", needs_interpreter=True),
        member(birth_date=dt.date(2020, 1, 1), in_mpp=False, a_number=None),
    ]
    published = ShelterAssigned(
        family_unit_id="f1",
        shelter_id="casa-alitas",
        site="nogales",
        expected_at=NOW,
        people=2,
        languages=["mam", "spa"],
        needs_interpreter=True,
        need_items=needs.shelter_needs(family, NOW.date()),
    )
    read = ShelterAssigned.model_validate_json(published.model_dump_json())  # off the bus

    def notice(*languages: str) -> str:
        shelter = domain.Recipient(id="casa-alitas", languages=languages)
        arrival = domain.expected_arrival(
            shelter, "nogales", NOW, domain.needs_of(family), read.need_items
        )
        return domain.written(arrival).text

    spanish, english = notice("spa"), notice("eng")
    assert "necesidades: intérprete: mam, menores de 18 años: 1." in spanish
    assert "children" not in spanish and "interpreter:" not in spanish
    assert "needs: interpreter: mam, children under 18: 1." in english


def test_needs_from_before_the_catalogued_ones_are_shown_as_they_came():
    shelter = domain.Recipient(id="casa-alitas", languages=("spa",))
    needs_ = domain.needs_of([member()])
    arrival = domain.expected_arrival(shelter, "nogales", NOW, needs_, ["children under 18: 1"])
    assert "necesidades: children under 18: 1." in domain.written(arrival).text


def organisation(*languages: str) -> domain.Recipient:
    return domain.Recipient(id="org", organisation_id="org", languages=languages)


def test_a_policy_notice_is_written_in_the_organisations_first_language_it_can_be():
    at = NOW + dt.timedelta(hours=30)
    english = domain.written(domain.policy_notice(organisation("fra", "eng"), "Laredo opens", at))
    assert (english.language, english.text) == (
        "eng",
        "Policy change from 2026-11-29 18:00 UTC: Laredo opens.",
    )
    spanish = domain.written(domain.policy_notice(organisation("spa", "eng"), "Laredo abre", at))
    assert (spanish.language, spanish.title) == ("spa", "Cambio de política: Laredo abre")


def test_an_indigenous_language_is_answered_in_spanish_with_an_interpreter_offered():
    notice = domain.written(domain.policy_notice(organisation("mam"), "Laredo abre", NOW))
    assert notice.language == "spa"
    assert notice.text.endswith("hay un intérprete de Mam disponible si lo solicitan.")
    # An organisation that reads English after its Indigenous language reads English.
    assert domain.written(domain.policy_notice(organisation("mam", "eng"), "x", NOW)).language == (
        "eng"
    )


def test_an_organisation_with_no_language_known_reads_spanish():
    assert domain.written(domain.policy_notice(organisation(), "x", NOW)).language == "spa"


def test_a_policy_may_be_changed_until_it_takes_effect_and_cancelled_once():
    assert domain.change_errors(known=True, effective=False, cancelled=False) == []
    for state, message in [
        ({"known": False, "effective": False, "cancelled": False}, "is not an announced policy"),
        ({"known": True, "effective": True, "cancelled": False}, "has already taken effect"),
        ({"known": True, "effective": False, "cancelled": True}, "is already cancelled"),
    ]:
        (error,) = domain.change_errors(**state)
        assert (error.field, error.message) == ("policy_id", message)


def test_a_notice_escalates_from_12_hours_before_its_policy_and_is_at_risk_from_2():
    deadlines = domain.Deadlines()
    effective_at = NOW + dt.timedelta(hours=30)
    hour, minute = dt.timedelta(hours=1), dt.timedelta(minutes=1)
    assert not deadlines.escalates(effective_at, effective_at - 12 * hour - minute)
    assert deadlines.escalates(effective_at, effective_at - 12 * hour)
    assert deadlines.escalates(effective_at, effective_at - minute)
    assert not deadlines.escalates(effective_at, effective_at)  # in effect: too late to chase
    assert not deadlines.at_risk_now(effective_at, effective_at - 2 * hour - minute)
    assert deadlines.at_risk_now(effective_at, effective_at - 2 * hour)
    # A time read back from SQLite has no zone: it is UTC.
    assert deadlines.escalates(effective_at.replace(tzinfo=None), effective_at - 3 * hour)
    shorter = domain.Deadlines(escalate=6 * hour)
    assert not shorter.escalates(effective_at, effective_at - 7 * hour)


def test_a_disabled_webhook_is_told_with_its_reason_in_the_organisations_language():
    gone = domain.written(
        domain.webhook_disabled(organisation("eng"), "e-1", "hooks.example", True)
    )
    failing = domain.written(domain.webhook_disabled(organisation("kek"), "e-1", "h", False))
    assert gone.title == "Webhook endpoint disabled"
    assert gone.text.startswith(
        "Your webhook endpoint e-1 at hooks.example was disabled because it answered 410 Gone."
    )
    assert failing.language == "spa" and "fallaron durante 5 días" in failing.text
    assert failing.text.endswith("hay un intérprete de Q'eqchi' disponible si lo solicitan.")

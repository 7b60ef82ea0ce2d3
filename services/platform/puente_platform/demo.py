"""A demo worth opening: with the field simulator on, `make run` registers a population of
families waiting along the border (the categories and languages DOMAIN.md names) and
announces a policy for the coming days, so the console shows a live wind-down at once.

`PUENTE_DEMO_FAMILIES` sets how many (0 for none). They are registered as commands the
gateway sends, like any partner's registration, a few each second (all at once would hold up
the one process that also answers the console); a marker file under `var/` counts those sent,
so a restart goes on where it stopped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from pathlib import Path

from puente_runtime import Clock, Service
from puente_schemas.commands import AnnouncePolicy, LocationInput, MemberInput, RegisterFamily
from puente_schemas.common import Channel, PartnerKind, PolicyChanges, SiteChange

__all__ = ["Seeder", "population"]

MARKER = "demo.seeded"
PER_SECOND = 3
# Most families wait in the border cities; some far south or inland (served by consulates).
CITIES = {
    "Tijuana": 14, "Mexicali": 6, "San Luis Rio Colorado": 3, "Nogales": 6, "Hermosillo": 2,
    "Ciudad Juarez": 14, "Piedras Negras": 4, "Nuevo Laredo": 8, "Reynosa": 10, "Matamoros": 12,
    "Monterrey": 5, "Mexico City": 3, "Tapachula": 3,
}  # fmt: skip
# Spanish, Portuguese, Haitian Creole, French, and Indigenous languages of Guatemala (Mam,
# K'iche', Q'eqchi') and Mexico (Tzotzil).
LANGUAGES = {"spa": 70, "por": 7, "hat": 6, "fra": 2, "mam": 5, "quc": 5, "kek": 3, "tzo": 2}
CATEGORIES = {"active": 35, "terminated": 30, "in_absentia": 20, "inactive": 10, "denied": 5}
GIVEN = ["Ana", "María", "José", "Luis", "Rosa", "Carlos", "Wilson", "Yesenia", "Jean", "Marta"]
FAMILY = ["López", "García", "Hernández", "Pérez", "Morales", "Cruz", "Joseph", "Silva", "Tzoc"]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _family(index: int, rng: random.Random, a_numbers: list[int]) -> RegisterFamily:
    language = _pick(rng, LANGUAGES)
    surname = rng.choice(FAMILY)
    interpreter = language != "spa" and rng.random() < 0.6
    enrolled = dt.date(2019, 1, 29) + dt.timedelta(days=rng.randrange(700))
    adults = [
        MemberInput(
            given_name=rng.choice(GIVEN),
            family_name=surname,
            birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(14_000)),
            in_mpp=True,
            a_number=f"A{a_numbers[2 * index + n]:09d}",
            mpp_enrollment_date=enrolled,
            case_category=_pick(rng, CATEGORIES),
            language=language,
            needs_interpreter=interpreter,
        )
        for n in range(rng.choice([1, 1, 2]))
    ]
    children = [
        MemberInput(
            given_name=rng.choice(GIVEN),
            family_name=surname,
            birth_date=dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(6_000)),
            in_mpp=False,
            language=language,
            needs_interpreter=interpreter,
        )
        for _ in range(rng.choice([0, 1, 1, 2, 3]))
    ]
    return RegisterFamily(
        family_unit_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        channel=Channel.ONLINE,  # the others name the organisation that entered them
        current_location=LocationInput(city=_pick(rng, CITIES), country="MX"),
        members=adults + children,
        consent=rng.sample([PartnerKind.SHELTER, PartnerKind.IOM, PartnerKind.LEGAL_PROVIDER], 2),
    )


def population(count: int, *, seed: int = 2021) -> list[RegisterFamily]:
    """`count` families, the same for the same seed; A-numbers never repeat."""
    rng = random.Random(seed)
    a_numbers = rng.sample(range(100_000_000, 1_000_000_000), 2 * count)
    return [_family(index, rng, a_numbers) for index in range(count)]


def policy(now: dt.datetime) -> AnnouncePolicy:
    """Nogales takes more families a day from three days on (shelters get their notice)."""
    return AnnouncePolicy(
        policy_id=str(uuid.uuid4()),
        title="Nogales opens a second processing lane",
        effective_at=now + dt.timedelta(days=3),
        changes=PolicyChanges(sites=[SiteChange(site="nogales", capacity_per_day=120)]),
    )


class Seeder:
    """Registers the demo population, PER_SECOND families a second, then announces its
    policy; the marker file holds how many were sent."""

    def __init__(self, gateway: Service, *, count: int, var_dir: Path, clock: Clock) -> None:
        self._gateway = gateway
        self._count = count
        self._marker = var_dir / MARKER
        self._clock = clock

    @property
    def sent(self) -> int:
        return int(self._marker.read_text()) if self._marker.exists() else 0

    async def run(self) -> None:
        families = population(self._count)
        if self.sent == 0 and families:
            self._gateway.submit([policy(self._clock.now())])
        while self.sent < len(families):
            start = self.sent
            self._gateway.submit(families[start : start + PER_SECOND])
            self._marker.write_text(f"{min(start + PER_SECOND, len(families))}\n")
            await asyncio.sleep(1.0)

"""Roles a token carries, and which roles each kind of read or command needs.

Default deny and least privilege: a role grants only what its work needs. `admin` manages
organisations and tokens and reads the audit log; it grants no case data by itself.
"""

from __future__ import annotations

from enum import StrEnum

from puente_schemas.common import Channel, PartnerKind

__all__ = [
    "AGENCIES",
    "CASE_ROLES",
    "CHANNELS",
    "DOCUMENT_ROLES",
    "ISSUABLE",
    "LEGAL_ROLES",
    "LIMITED_CASE_ROLES",
    "REGISTERING_ROLES",
    "Role",
]


class Role(StrEnum):
    ADMIN = "admin"
    REGISTRAR = "registrar"
    HOTLINE_OPERATOR = "hotline_operator"
    LEGAL_PROVIDER = "legal_provider"
    EXPEDITE_DECIDER = "expedite_decider"
    POLICY_OFFICER = "policy_officer"
    SHELTER = "shelter"
    TRANSPORT_OPERATOR = "transport_operator"
    PORT_OFFICER = "port_officer"
    ANALYST = "analyst"
    # The anonymous caller (the registrant has no token): only public fields allow it.
    PUBLIC = "public"


ISSUABLE = frozenset(Role) - {Role.PUBLIC}

# Roles that follow individual cases: stage, appointment, timeline, place in line. The
# family's personal record needs, on top, an organisation allowed to see it (access.py).
CASE_ROLES = frozenset(
    {
        Role.REGISTRAR,
        Role.HOTLINE_OPERATOR,
        Role.LEGAL_PROVIDER,
        Role.EXPEDITE_DECIDER,
        Role.SHELTER,
        Role.TRANSPORT_OPERATOR,
        Role.PORT_OFFICER,
    }
)

# Case roles scoped to a place: a shelter follows the families coming to it, a port officer
# the families at the sites its token names, a transport operator the families booked on the
# routes its token names, whatever the organisation (access.py). The other case roles follow
# their own families, and every family when an agency holds them.
LIMITED_CASE_ROLES = frozenset({Role.SHELTER, Role.PORT_OFFICER, Role.TRANSPORT_OPERATOR})

# Roles whose work needs legal history (A-numbers, case categories, legal actions). Shelters
# and transport never see it (ARCHITECTURE.md, Security).
LEGAL_ROLES = frozenset(
    {
        Role.REGISTRAR,
        Role.HOTLINE_OPERATOR,
        Role.LEGAL_PROVIDER,
        Role.EXPEDITE_DECIDER,
        Role.PORT_OFFICER,
    }
)

# Who reads a family's documents (their kinds tell the legal action, so legal roles only):
# the port officers who serve them, the family's attorney, the registrar who follows it.
DOCUMENT_ROLES = frozenset({Role.PORT_OFFICER, Role.LEGAL_PROVIDER, Role.REGISTRAR})

# Who may register a family, and on which channels: a hotline registers by phone, a legal
# provider as attorney of record, a registrar (registration point, shelter desk, the online
# form's operator) on the others.
CHANNELS: dict[Role, frozenset[Channel]] = {
    Role.REGISTRAR: frozenset({Channel.ONLINE, Channel.HOTLINE, Channel.IN_PERSON}),
    Role.HOTLINE_OPERATOR: frozenset({Channel.HOTLINE}),
    Role.LEGAL_PROVIDER: frozenset({Channel.ATTORNEY}),
}
REGISTERING_ROLES = frozenset(CHANNELS)

# The agencies that process every case (CBP at the ports, EOIR courts, consulates) see every
# family's record: the processing cannot happen without it, with or without consent.
AGENCIES = frozenset({PartnerKind.DHS, PartnerKind.DOJ, PartnerKind.STATE})

"""The GraphQL gateway: partners' one door. Mutations send commands and wait briefly for their
outcome, queries read a projection of every event, subscriptions stream the live timeline; in
demos it also plays the people in the field. Run it with `python -m puente_gateway`.

Access (default deny, least privilege):

- A token belongs to an organisation (name, kind: common.PartnerKind) and carries roles
  (roles.Role). Tokens are stored as SHA-256 hashes and shown once; admins create
  organisations, issue and revoke tokens, and read the audit log.
- Every field names the roles it allows (api/permissions.py). A request with no
  `Authorization` header is the anonymous principal: it may only run a query made of public
  fields (sites, expediteCriteria, fairnessAudit, registrantStatus); anything else is a 401
  before it runs. A bad or revoked token is a 401 even for public fields. WebSockets always
  need a token.
- Case status (stage, appointment, timeline, place in line) is for the roles that follow
  cases. A family's personal record (members, names, birth dates) also needs the caller's
  organisation to be an agency (DHS, DOJ, State: they process every case), the organisation
  that registered the family, or of a kind the family consented to. Legal history
  (A-numbers, categories, legal actions) needs a legal role: never shelters or transport.
  A refusal is an error on the field ("not authorised"), never a silent null.
- A shelter organisation runs one shelter (`createOrganisation(shelterId:)`). A caller whose
  only case role is `shelter` follows only the families assigned to that shelter
  (`shelter-assigned`), sees only their journey's steps (no documents, court, attorney,
  expedite or call-back events), never legal history, and names only with consent. Its
  `expectedArrivals` (size, languages, interpreter, needs, time) are for it alone.
- Transport operators see bookings (size, pick-up, journey documents), never names or legal
  history. Documents (their kinds tell the legal action) are for legal roles that may see the
  record. Processing times and the families over target are ids and times only.
- `admin` grants no case data. The first token (var/admin.token) belongs to "Puente
  operations" (kind UNHCR, which runs registration in the wind-down) and carries `admin` and
  `registrar`, so `make run` can register and follow a family with it.
- Every read of a record (and every refusal) is written to the audit log, with ids only.
  Errors are logged without the request or their message (either may hold personal data).
"""

from puente_gateway.app import Gateway, create_app

__all__ = ["Gateway", "create_app"]

"""The GraphQL contract partners see: one mutation per command, queries on the read model,
subscriptions on the live timeline.

Every field passes a permission by role (api/permissions.py): default deny. Public fields
(sites, expediteCriteria, fairnessAudit, registrantStatus) allow the anonymous caller, which
is what a request without an `Authorization` header is; every other field needs a token
whose roles it names. Personal data is further limited by organisation (access.py).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter
from strawberry.types import ExecutionContext

from puente_gateway.api import (
    admin,
    compliance,
    expedites,
    families,
    load,
    partners,
    policies,
    ports,
    queue,
    registrant,
    texts,
    timings,
    travel,
    webhooks,
)
from puente_gateway.api import callbacks as hotline
from puente_gateway.api import flow as tracing
from puente_gateway.api import notices as inbox
from puente_gateway.api import operations as running
from puente_gateway.api import shelters as receiving
from puente_gateway.api import stages as journey
from puente_gateway.api import stuck as stalled
from puente_gateway.api import viewer as caller
from puente_gateway.api.permissions import needs, public
from puente_gateway.api.types import CommandAnswer
from puente_gateway.limits import QueryLimits
from puente_gateway.measuring import Measured
from puente_gateway.roles import CASE_ROLES, DOCUMENT_ROLES, ISSUABLE, REGISTERING_ROLES, Role

__all__ = ["PUBLIC_FIELDS", "schema"]

# Bounds on the request's text; its depth, cost and aliases are bounded in limits.py.
MAX_TOKENS = 5000
PUBLIC_FIELDS = frozenset(
    {"sites", "expediteCriteria", "fairnessAudit", "registrantStatus", "__typename"}
)
# Who coordinates around shelters (beds and services are no one's personal data).
SHELTER_READERS = (*CASE_ROLES, Role.ANALYST, Role.POLICY_OFFICER)


@strawberry.type
class Query:
    family_unit: families.FamilyUnit | None = strawberry.field(
        resolver=families.family_unit, extensions=needs(*CASE_ROLES, family_argument="id")
    )
    flow: tracing.Flow | None = strawberry.field(
        resolver=tracing.flow, extensions=needs(*CASE_ROLES)
    )
    queue_position: queue.QueuePosition | None = strawberry.field(
        resolver=queue.queue_position, extensions=needs(*CASE_ROLES)
    )
    registrant_status: registrant.RegistrantStatus = strawberry.field(
        resolver=registrant.registrant_status, extensions=public()
    )
    sites: list[queue.Site] = strawberry.field(resolver=queue.sites, extensions=public())
    expedite_criteria: list[expedites.ExpediteCriterion] = strawberry.field(
        resolver=expedites.expedite_criteria, extensions=public()
    )
    fairness_audit: queue.FairnessAudit = strawberry.field(
        resolver=queue.fairness_audit, extensions=public()
    )
    queue_summary: list[queue.SiteQueue] = strawberry.field(
        resolver=queue.queue_summary, extensions=needs(Role.ANALYST, Role.POLICY_OFFICER)
    )
    expedite_requests: list[expedites.ExpediteRequest] = strawberry.field(
        resolver=expedites.expedite_requests, extensions=needs(Role.EXPEDITE_DECIDER)
    )
    callbacks: hotline.CallbackDay = strawberry.field(
        resolver=hotline.callbacks, extensions=needs(Role.HOTLINE_OPERATOR)
    )
    bookings: list[travel.Booking] = strawberry.field(
        resolver=travel.bookings, extensions=needs(Role.TRANSPORT_OPERATOR)
    )
    itinerary: travel.Itinerary = strawberry.field(
        resolver=travel.itinerary, extensions=needs(*CASE_ROLES)
    )
    documents: ports.FamilyDocuments = strawberry.field(
        resolver=ports.documents, extensions=needs(*DOCUMENT_ROLES)
    )
    arrivals_with_documents_not_ready: list[ports.ArrivalWithDocumentsNotReady] = strawberry.field(
        resolver=ports.arrivals_with_documents_not_ready, extensions=needs(Role.PORT_OFFICER)
    )
    attorney_access: list[ports.AttorneyAccessDecision] = strawberry.field(
        resolver=ports.attorney_access, extensions=needs(Role.PORT_OFFICER, Role.LEGAL_PROVIDER)
    )
    processing_times: list[timings.ProcessingTimes] = strawberry.field(
        resolver=timings.processing_times, extensions=needs(Role.PORT_OFFICER, Role.ANALYST)
    )
    shelters: list[receiving.Shelter] = strawberry.field(
        resolver=receiving.shelters, extensions=needs(*SHELTER_READERS)
    )
    organisations: list[admin.Organisation] = strawberry.field(
        resolver=admin.all_organisations, extensions=needs(Role.ADMIN)
    )
    audit_log: list[admin.AuditEntry] = strawberry.field(
        resolver=admin.audit_log, extensions=needs(Role.ADMIN)
    )
    webhook_endpoints: list[webhooks.WebhookEndpoint] = strawberry.field(
        resolver=webhooks.webhook_endpoints, extensions=needs(*ISSUABLE)
    )
    webhook_deliveries: list[webhooks.WebhookDeliveryAttempt] = strawberry.field(
        resolver=webhooks.webhook_deliveries, extensions=needs(*ISSUABLE)
    )
    families_by_stage: list[journey.StageCount] = strawberry.field(
        resolver=journey.families_by_stage, extensions=needs(Role.ANALYST, Role.POLICY_OFFICER)
    )
    viewer: caller.Viewer = strawberry.field(resolver=caller.viewer, extensions=needs(*ISSUABLE))
    notices: list[inbox.Notice] = strawberry.field(
        resolver=inbox.own_notices, extensions=needs(*ISSUABLE)
    )
    policy_compliance: compliance.PolicyCompliance = strawberry.field(
        resolver=compliance.policy_compliance, extensions=needs(Role.ADMIN, Role.POLICY_OFFICER)
    )
    policies: list[compliance.PolicyCompliance] = strawberry.field(
        resolver=compliance.policies, extensions=needs(Role.ADMIN, Role.POLICY_OFFICER)
    )
    policies_at_risk: list[compliance.PolicyAtRisk] = strawberry.field(
        resolver=compliance.policies_at_risk, extensions=needs(Role.ADMIN, Role.POLICY_OFFICER)
    )
    partner_directory: list[partners.Partner] = strawberry.field(
        resolver=partners.partner_directory, extensions=needs(Role.ADMIN, Role.POLICY_OFFICER)
    )
    translation_coverage: list[texts.LanguageCoverage] = strawberry.field(
        resolver=texts.translation_coverage, extensions=needs(Role.ADMIN, Role.POLICY_OFFICER)
    )
    operations: list[running.ServiceOperations] = strawberry.field(
        resolver=running.operations,
        extensions=needs(Role.ADMIN, Role.ANALYST, Role.POLICY_OFFICER),
    )
    site_load: list[load.SiteLoad] = strawberry.field(
        resolver=load.site_load, extensions=needs(Role.ANALYST, Role.POLICY_OFFICER)
    )
    stuck_families: list[stalled.StuckFamily] = strawberry.field(
        resolver=stalled.stuck_families, extensions=needs(*CASE_ROLES)
    )


@strawberry.type
class Mutation:
    register_family: families.CommandResult = strawberry.mutation(
        resolver=families.register_family, extensions=needs(*REGISTERING_ROLES)
    )
    add_family_member: CommandAnswer = strawberry.mutation(
        resolver=families.add_family_member, extensions=needs(Role.REGISTRAR)
    )
    update_location: CommandAnswer = strawberry.mutation(
        resolver=families.update_location, extensions=needs(Role.REGISTRAR)
    )
    request_expedite: expedites.ExpediteRequestAnswer = strawberry.mutation(
        resolver=expedites.request_expedite,
        extensions=needs(Role.REGISTRAR, Role.LEGAL_PROVIDER),
    )
    decide_expedite: CommandAnswer = strawberry.mutation(
        resolver=expedites.decide_expedite, extensions=needs(Role.EXPEDITE_DECIDER)
    )
    record_callback: CommandAnswer = strawberry.mutation(
        resolver=hotline.record_callback, extensions=needs(Role.HOTLINE_OPERATOR)
    )
    check_in: CommandAnswer = strawberry.mutation(
        resolver=travel.check_in, extensions=needs(Role.PORT_OFFICER)
    )
    record_departure: CommandAnswer = strawberry.mutation(
        resolver=travel.record_departure, extensions=needs(Role.TRANSPORT_OPERATOR)
    )
    report_delay: CommandAnswer = strawberry.mutation(
        resolver=travel.report_delay, extensions=needs(Role.TRANSPORT_OPERATOR)
    )
    report_missed_pickup: CommandAnswer = strawberry.mutation(
        resolver=travel.report_missed_pickup, extensions=needs(Role.TRANSPORT_OPERATOR)
    )
    complete_processing: CommandAnswer = strawberry.mutation(
        resolver=ports.complete_processing, extensions=needs(Role.PORT_OFFICER)
    )
    release_family: CommandAnswer = strawberry.mutation(
        resolver=ports.release_family, extensions=needs(Role.PORT_OFFICER)
    )
    request_attorney_access: ports.AttorneyAccessAnswer = strawberry.mutation(
        resolver=ports.request_attorney_access, extensions=needs(Role.LEGAL_PROVIDER)
    )
    update_shelter_capacity: CommandAnswer = strawberry.mutation(
        resolver=receiving.update_shelter_capacity, extensions=needs(Role.SHELTER)
    )
    confirm_shelter_arrival: CommandAnswer = strawberry.mutation(
        resolver=receiving.confirm_shelter_arrival, extensions=needs(Role.SHELTER)
    )
    announce_policy: policies.PolicyAnswer = strawberry.mutation(
        resolver=policies.announce_policy, extensions=needs(Role.POLICY_OFFICER)
    )
    amend_policy: policies.PolicyAnswer = strawberry.mutation(
        resolver=policies.amend_policy, extensions=needs(Role.POLICY_OFFICER)
    )
    cancel_policy: policies.PolicyAnswer = strawberry.mutation(
        resolver=policies.cancel_policy, extensions=needs(Role.POLICY_OFFICER)
    )
    create_organisation: admin.Organisation = strawberry.mutation(
        resolver=admin.create_organisation, extensions=needs(Role.ADMIN)
    )
    issue_token: admin.IssuedToken = strawberry.mutation(
        resolver=admin.issue, extensions=needs(Role.ADMIN)
    )
    revoke_token: bool = strawberry.mutation(resolver=admin.revoke, extensions=needs(Role.ADMIN))
    create_webhook_endpoint: webhooks.WebhookSecretAnswer = strawberry.mutation(
        resolver=webhooks.create_webhook_endpoint, extensions=needs(*ISSUABLE)
    )
    rotate_webhook_secret: webhooks.WebhookSecretAnswer = strawberry.mutation(
        resolver=webhooks.rotate_webhook_secret, extensions=needs(*ISSUABLE)
    )
    replay_webhook_deliveries: webhooks.WebhookReplayAnswer = strawberry.mutation(
        resolver=webhooks.replay_webhook_deliveries, extensions=needs(*ISSUABLE)
    )
    acknowledge_notice: inbox.NoticeAnswer = strawberry.mutation(
        resolver=inbox.acknowledge_notice, extensions=needs(*ISSUABLE)
    )
    update_organisation_contacts: partners.Partner = strawberry.mutation(
        resolver=partners.update_organisation_contacts, extensions=needs(*ISSUABLE)
    )


@strawberry.type
class Subscription:
    family_events: AsyncGenerator[families.FamilyEvent, None] = strawberry.subscription(
        resolver=families.family_events, extensions=needs(*CASE_ROLES)
    )
    notices: AsyncGenerator[inbox.Notice, None] = strawberry.subscription(
        resolver=inbox.notice_feed, extensions=needs(*ISSUABLE)
    )


log = logging.getLogger("puente.gateway")


class _Schema(strawberry.Schema):
    """Logs errors without the request or the error's message: either may hold personal data
    (a name typed into the query, a value echoed by validation). A bug's traceback is logged,
    its frames only."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            original = error.original_error
            kind = type(original or error).__name__
            where = ".".join(map(str, error.path or [])) or "request"
            if original is None or isinstance(original, ValueError | GraphQLError):
                log.info("GraphQL %s at %s", kind, where)
            else:
                frames = "".join(traceback.format_tb(original.__traceback__))
                log.error("GraphQL %s at %s\n%s", kind, where, frames)


schema = _Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[
        QueryLimits,
        Measured,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
    ],
)

"""Who publishes and who consumes each contract: the map of the system, as data.

A test holds every service's handlers to this map, and the AsyncAPI documents are made from it.
"""

from __future__ import annotations

from puente_schemas import commands as c
from puente_schemas import events as e
from puente_schemas.commands import COMMANDS, Command
from puente_schemas.events import EVENTS, Event
from puente_schemas.topics import EVENT_SOURCES, events_topic

Contract = type[Command] | type[Event]

CONSUMES: dict[str, tuple[Contract, ...]] = {
    "registration": (
        c.RegisterFamily,
        c.AddFamilyMember,
        c.UpdateLocation,
        c.RecordCallback,
        c.RequestExpedite,
        c.DecideExpedite,
        e.Released,
    ),
    "scheduling": (
        e.Registered,
        e.RegistrationUpdated,
        e.ExpediteDecided,
        e.TransportFailed,
        e.PolicyEffective,
    ),
    "transport": (
        e.Scheduled,
        e.Rescheduled,
        e.ScheduleCancelled,
        c.RecordDeparture,
        c.RecordArrival,
        c.ReportMissedPickup,
        c.ReportDelay,
    ),
    "processing": (
        e.Registered,
        e.RegistrationUpdated,
        e.Scheduled,
        e.Rescheduled,
        e.ScheduleCancelled,
        e.ArrivedAtPort,
        c.CompleteProcessing,
        c.ReleaseFamily,
        c.RequestAttorneyAccess,
        c.UpdateShelterCapacity,
        c.ConfirmShelterArrival,
    ),
    "notifications": (
        e.Registered,
        e.ShelterUpdated,
        e.ShelterAssigned,
        e.Released,
        e.AttorneyAccessDecided,
        e.OrganisationRegistered,
        e.OrganisationUpdated,
        c.AnnouncePolicy,
        c.AmendPolicy,
        c.CancelPolicy,
        c.AcknowledgeNotice,
        # webhooks (puente_notifications.webhooks)
        e.NoticeIssued,
        e.NoticeEscalated,
        c.CreateWebhookEndpoint,
        c.RotateWebhookSecret,
        c.ReplayWebhookDeliveries,
        c.DeliverWebhookEvent,
    ),
    "gateway": EVENTS,
    "simulator": (
        e.Scheduled,
        e.Rescheduled,
        e.TransportBooked,
        e.TransportFailed,
        e.BookingCancelled,
        e.CheckedIn,
        e.Processed,
        e.CallbackBooked,
    ),
}
# What the people in the field report, played by the simulator in demos (marked simulated).
SIMULATED: tuple[Contract, ...] = (
    c.RecordDeparture,
    c.RecordArrival,
    c.ReportDelay,
    c.ReportMissedPickup,
    c.CompleteProcessing,
    c.ReleaseFamily,
    c.RecordCallback,
)


def publishes(service: str) -> tuple[Contract, ...]:
    """Services publish the events on their own topic; the gateway also sends the commands,
    the simulator only those of the people in the field."""
    if service == "simulator":
        return SIMULATED
    commands = COMMANDS if service == "gateway" else ()
    if service in EVENT_SOURCES:
        return commands + tuple(m for m in EVENTS if events_topic(service) == m.TOPIC)
    raise KeyError(service)

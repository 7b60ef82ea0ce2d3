// Family: one family's journey, live. The timeline is the familyEvents subscription (it
// replays the family's past, then follows it); the rest is re-read when a step arrives.

import { problem, subscribe } from "../api.js";
import { h, panel, table, when } from "../dom.js";
import { t } from "../i18n.js";
import { waterfall } from "../waterfall.js";

export const id = "family";
export const roles = ["REGISTRAR", "HOTLINE_OPERATOR", "LEGAL_PROVIDER", "EXPEDITE_DECIDER",
  "SHELTER", "TRANSPORT_OPERATOR", "PORT_OFFICER"];
const DOCUMENT_ROLES = ["PORT_OFFICER", "LEGAL_PROVIDER", "REGISTRAR"];

const FAMILY = `query ($id: ID!) {
  familyUnit(id: $id) { id stage appointment { site date } }
  queuePosition(familyUnitId: $id) { standing place site estimatedDate }
  itinerary(familyUnitId: $id) { departedAt expectedArrivalAt arrivedAt checkedInAt processedAt
    releasedAt booking { site originCity pickupPoint departureAt arrivalAt seats status } } }`;
const MEMBERS = `query ($id: ID!) { familyUnit(id: $id) { members {
  givenName familyName birthDate language needsInterpreter } } }`;
const DOCUMENTS = `query ($id: ID!) { documents(familyUnitId: $id) { allReady
  members { memberId ready documents { kind status } } } }`;
const FLOW = `query ($id: ID!) { flow(familyUnitId: $id) { traceId
  events { type service causeType publishLagSeconds hops { consumer lagSeconds } }
  spans { spanId name service start durationMs } } }`;
const EVENTS = `subscription ($id: ID!) { familyEvents(familyUnitId: $id) {
  cursor type occurredAt } }`;

function lookup(context) {
  const input = h("input", { id: "family-id", name: "family-id", required: true, size: 38 });
  return h("form", {
    class: "inline", onsubmit: (event) => {
      event.preventDefault();
      context.go(`family/${encodeURIComponent(input.value.trim())}`);
    },
  }, h("div", {}, h("label", { for: "family-id" }, t("familyId")), input),
  h("button", { type: "submit" }, t("open")));
}

function hop(previous, entry) {
  if (!previous) return "";
  const seconds = (new Date(entry.occurredAt) - new Date(previous.occurredAt)) / 1000;
  if (seconds < 90) return `+${seconds.toFixed(1)} s`;
  return seconds < 5400 ? `+${Math.round(seconds / 60)} min` : `+${(seconds / 3600).toFixed(1)} h`;
}

function lag(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  return seconds < 5400 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;
}

// The family's flow (issue 11, item 3): each event's producer, cause and hops, and its trace.
function flowPanel(flow) {
  return panel(t("flowTitle"), "flow",
    h("p", {}, t("traceId"), ": ", h("code", { id: "trace-id" }, flow.traceId ?? "—")),
    flow.spans.length ? waterfall(t("waterfall"), flow.spans)
      : h("p", { class: "muted" }, t("noSpans")),
    table([t("event"), t("service"), t("cause"), t("published"), t("appliedBy")],
      flow.events.map((e) => [e.type, e.service ?? "—", e.causeType ?? "—",
        lag(e.publishLagSeconds), e.hops.map((hop) => `${hop.consumer} +${lag(hop.lagSeconds)}`)
          .join(", ")])));
}

function summary(data) {
  const family = data.familyUnit;
  const trip = data.itinerary;
  const booking = trip?.booking;
  return panel(t("journey"), "journey",
    h("p", {}, t("stage"), ": ", h("strong", { id: "stage" }, t(`stage.${family.stage}`))),
    data.queuePosition?.place ? h("p", { id: "place" }, t("placeInLine"), ": ",
      h("strong", {}, data.queuePosition.place), ` · ${data.queuePosition.site} · `,
      t("estimate"), ": ", data.queuePosition.estimatedDate ?? "—") : "",
    h("p", {}, t("appointment"), ": ",
      family.appointment ? `${family.appointment.site} · ${when(family.appointment.date)}` : "—"),
    booking ? table([t("site"), t("from"), t("departure"), t("arrival"), t("seats"), t("status")],
      [[booking.site, `${booking.originCity} (${booking.pickupPoint})`, when(booking.departureAt),
        when(trip.expectedArrivalAt ?? booking.arrivalAt), booking.seats, booking.status]]) : "",
    trip ? table([t("checkedIn"), t("processed"), t("released")],
      [[when(trip.checkedInAt), when(trip.processedAt), when(trip.releasedAt)]]) : "");
}

export function render(root, context, [familyId]) {
  root.append(h("h2", {}, t("family")), lookup(context));
  if (!familyId) return () => {};
  const header = h("div", {});
  const steps = h("ol", { class: "timeline", id: "timeline" });
  const extra = h("div", { class: "grid" });
  root.append(h("p", { class: "muted" }, t("familyId"), ": ", h("code", {}, familyId)), header,
    panel(t("timeline"), "steps", steps), extra);
  const entries = [];
  let stopped = false;
  let pending;

  async function refresh() {
    const result = await context.ask(FAMILY, { id: familyId });
    if (stopped) return;
    // The API answers an unknown family and one the caller may not follow alike (access.py).
    if (result.data?.familyUnit === null || /is not visible to you/.test(problem(result) ?? "")) {
      header.replaceChildren(h("p", { class: "error", role: "alert" }, t("notFound")));
      return;
    }
    if (!result.data?.familyUnit) {
      header.replaceChildren(h("p", { class: "error", role: "alert" }, problem(result)));
      return;
    }
    header.replaceChildren(summary(result.data));
    const parts = [context.ask(MEMBERS, { id: familyId })];
    if (context.has(...DOCUMENT_ROLES)) parts.push(context.ask(DOCUMENTS, { id: familyId }));
    const flowing = context.ask(FLOW, { id: familyId });
    const [members, documents] = await Promise.all(parts);
    const flow = await flowing;
    const people = members.data?.familyUnit?.members;
    const shown = [panel(t("members"), "members", people
      ? table([t("name"), t("birthDate"), t("language"), t("interpreter")], people.map((m) =>
        [`${m.givenName} ${m.familyName}`, m.birthDate, m.language, m.needsInterpreter ? "✓" : ""]))
      : h("p", { class: "muted" }, t("recordNotVisible")))];
    if (documents?.data) {
      shown.push(panel(t("documents"), "documents", table([t("member"), t("document"), t("status")],
        documents.data.documents.members.flatMap((m) =>
          m.documents.map((d) => [m.memberId.slice(0, 8), d.kind, d.status])))));
    }
    if (flow.data?.flow) shown.push(flowPanel(flow.data.flow));
    if (!stopped) extra.replaceChildren(...shown);
  }

  function arrived(data) {
    const entry = data.familyEvents;
    const previous = entries.at(-1);
    entries.push(entry);
    steps.append(h("li", { "data-type": entry.type }, h("time", { datetime: entry.occurredAt },
      when(entry.occurredAt)), h("strong", {}, entry.type), h("span", {}), h("span", {
      class: "muted",
    }, hop(previous, entry))));
    clearTimeout(pending);
    pending = setTimeout(refresh, 250);
  }

  refresh();
  const close = subscribe(EVENTS, { id: familyId }, arrived, (code) => {
    if (code === 4403 || code === 4401) context.ended();
  });
  return () => { stopped = true; clearTimeout(pending); close(); };
}

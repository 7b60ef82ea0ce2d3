// Shelter: the families coming to my shelter (what the API lets a shelter see: no names, no
// legal history), its beds, and confirming an arrival, re-read when a step arrives; and the
// shelter's notices with their Acknowledge button (notices.js).

import { problem } from "../api.js";
import { h, panel, table, when } from "../dom.js";
import { t } from "../i18n.js";
import { answer, liveRefresh } from "./actions.js";
import { noticesPanel } from "./notices.js";

export const id = "shelter";
export const roles = ["SHELTER"];

const SHELTER = `query ($id: ID!) { shelters(id: $id) { id name city beds bedsFree services
  expectedArrivals(includeArrived: true) { familyUnitId site expectedAt people languages
    needsInterpreter needs status } } }`;
const CONFIRM = `mutation ($id: ID!) { confirmShelterArrival(familyUnitId: $id) {
  status outcome errors { field message } } }`;
const BEDS = `mutation ($id: ID!, $beds: Int!) { updateShelterCapacity(shelterId: $id, beds: $beds) {
  status outcome errors { field message } } }`;

export function render(root, context) {
  const shelterId = context.viewer.shelterId;
  root.append(h("h2", {}, t("shelter")));
  if (!shelterId) {
    root.append(h("p", { class: "error" }, t("noShelter")));
    return () => {};
  }
  const body = h("div", {});
  const status = h("p", { role: "status", id: "action-status" });
  const notices = noticesPanel(context);
  root.append(status, body, notices.element);

  async function confirm(familyUnitId) {
    status.replaceChildren(answer(await context.ask(CONFIRM, { id: familyUnitId }),
      "confirmShelterArrival"));
    refresh();
  }

  function bedsForm(shelter) {
    const input = h("input", { id: "beds", type: "number", min: 0, value: shelter.beds });
    return h("form", {
      class: "inline", onsubmit: async (event) => {
        event.preventDefault();
        status.replaceChildren(answer(await context.ask(BEDS,
          { id: shelterId, beds: Number(input.value) }), "updateShelterCapacity"));
        refresh();
      },
    }, h("div", {}, h("label", { for: "beds" }, t("beds")), input),
    h("button", { type: "submit" }, t("updateBeds")));
  }

  async function refresh() {
    const result = await context.ask(SHELTER, { id: shelterId });
    const shelter = result.data?.shelters?.[0];
    if (!shelter) {
      body.replaceChildren(h("p", { class: "error" }, problem(result) ?? t("notFound")));
      return;
    }
    body.replaceChildren(
      panel(`${shelter.name} · ${shelter.city}`, "beds-panel",
        h("p", {}, t("beds"), ": ", h("strong", {}, shelter.beds), " · ", t("bedsFree"), ": ",
          h("strong", { id: "beds-free" }, shelter.bedsFree)), bedsForm(shelter)),
      panel(t("expectedArrivals"), "arrivals", shelter.expectedArrivals.length
        ? table([t("familyId"), t("port"), t("expected"), t("people"), t("languages"),
          t("needs"), t("status"), ""],
        shelter.expectedArrivals.map((a) => [h("code", {}, a.familyUnitId), a.site,
          when(a.expectedAt), a.people, a.languages.join(", ") + (a.needsInterpreter
            ? ` (${t("interpreter")})` : ""), a.needs.join(", "), t(`arrival.${a.status}`),
          a.status === "RELEASED" ? h("button", {
            type: "button", onclick: () => confirm(a.familyUnitId),
          }, t("confirmArrival")) : ""]))
        : h("p", { class: "muted" }, t("noArrivals"))));
  }

  refresh();
  const stopLive = liveRefresh(context, refresh);
  return () => { stopLive(); notices.close(); };
}

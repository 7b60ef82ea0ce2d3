// Port: the families at my sites (checked in, in processing, released), documents not ready,
// and the check-in / complete processing / release actions. Only the caller's sites are
// offered; the API refuses any other.

import { problem } from "../api.js";
import { h, hours, panel, table, when } from "../dom.js";
import { t } from "../i18n.js";
import { answer, liveRefresh } from "./actions.js";

export const id = "port";
export const roles = ["PORT_OFFICER"];

const PORT = `query ($site: String!) {
  processingTimes(site: $site) { site targetHours inProcessing perFamily { familyUnitId
    checkedInAt processedAt releasedAt processingHours overTarget } }
  arrivalsWithDocumentsNotReady(site: $site) { familyUnitId checkedInAt
    stillNotReady { memberId kind } } }`;
const RESULT = "{ status outcome errors { field message } }";
const ACTIONS = {
  checkIn: `mutation ($id: ID!, $site: String!) { checkIn(familyUnitId: $id, site: $site) ${RESULT} }`,
  completeProcessing: `mutation ($id: ID!) { completeProcessing(familyUnitId: $id) ${RESULT} }`,
  releaseFamily: `mutation ($id: ID!) { releaseFamily(familyUnitId: $id) ${RESULT} }`,
};

export function render(root, context, [chosen]) {
  const sites = context.viewer.sites;
  const site = sites.includes(chosen) ? chosen : sites[0];
  const picker = h("select", {
    id: "site", onchange: () => context.go(`port/${encodeURIComponent(picker.value)}`),
  }, sites.map((s) => h("option", { value: s, selected: s === site }, s)));
  const status = h("p", { role: "status", id: "action-status" });
  const body = h("div", {});
  root.append(h("h2", {}, t("port")),
    h("div", { class: "inline" }, h("label", { for: "site" }, t("site")), picker),
    checkInForm(), status, body);

  async function act(field, variables) {
    status.replaceChildren(answer(await context.ask(ACTIONS[field], variables), field));
    refresh();
  }

  function checkInForm() {
    const input = h("input", { id: "check-in-id", required: true, size: 38 });
    return h("form", {
      class: "inline", onsubmit: (event) => {
        event.preventDefault();
        act("checkIn", { id: input.value.trim(), site });
      },
    }, h("div", {}, h("label", { for: "check-in-id" }, t("familyId")), input),
    h("button", { type: "submit" }, t("checkIn")));
  }

  function actions(row) {
    if (!row.processedAt) {
      return h("button", { type: "button", onclick: () =>
        act("completeProcessing", { id: row.familyUnitId }) }, t("completeProcessing"));
    }
    if (!row.releasedAt) {
      return h("button", { type: "button", onclick: () =>
        act("releaseFamily", { id: row.familyUnitId }) }, t("release"));
    }
    return t("released");
  }

  async function refresh() {
    const result = await context.ask(PORT, { site });
    if (!result.data) {
      body.replaceChildren(h("p", { class: "error" }, problem(result)));
      return;
    }
    const times = result.data.processingTimes[0];
    const families = times?.perFamily ?? [];
    const missing = result.data.arrivalsWithDocumentsNotReady.filter((a) => a.stillNotReady.length);
    body.replaceChildren(
      panel(t("atThePort"), "at-port", h("p", {}, t("target"), ": ", hours(times?.targetHours),
        " · ", t("inProcessing"), ": ", times?.inProcessing ?? 0),
      families.length ? table([t("familyId"), t("checkedIn"), t("processingTime"), t("processed"),
        t("released"), ""], families.map((row) => [h("code", {}, row.familyUnitId),
        when(row.checkedInAt), h("span", { class: row.overTarget ? "error" : "" },
          hours(row.processingHours)), when(row.processedAt), when(row.releasedAt), actions(row)]))
        : h("p", { class: "muted" }, t("noFamiliesAtPort"))),
      panel(t("documentsNotReady"), "not-ready", missing.length
        ? table([t("familyId"), t("checkedIn"), t("documents")], missing.map((a) =>
          [h("code", {}, a.familyUnitId), when(a.checkedInAt),
            a.stillNotReady.map((d) => d.kind).join(", ")]))
        : h("p", { class: "muted" }, t("allDocumentsReady"))));
  }

  refresh();
  return liveRefresh(context, refresh);
}

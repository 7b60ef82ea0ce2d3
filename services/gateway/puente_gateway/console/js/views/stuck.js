// Stuck: the families the caller follows whose journey has not moved for longer than
// expected (stuckFamilies: the gateway finds them by its thresholds and the services'
// own words: waitlisted, a missed pick-up, processing overdue, an event held back), the
// longest overdue first. Re-read when a step arrives, and every minute as time passes.

import { problem } from "../api.js";
import { h, hours, panel, table, when } from "../dom.js";
import { t } from "../i18n.js";
import { liveRefresh } from "./actions.js";

export const id = "stuck";
export const roles = ["REGISTRAR", "HOTLINE_OPERATOR", "LEGAL_PROVIDER", "EXPEDITE_DECIDER",
  "SHELTER", "TRANSPORT_OPERATOR", "PORT_OFFICER"];

const EVERY_MS = 60_000;
const STUCK = `{ stuckFamilies { familyUnitId stage site since expectedBy overdueHours rule
  reason } }`;

function row(family) {
  return [
    h("a", { href: `#/family/${encodeURIComponent(family.familyUnitId)}` },
      h("code", {}, family.familyUnitId)),
    t(`stage.${family.stage}`), family.site ?? "—", t(`rule.${family.rule}`),
    when(family.since), hours(family.overdueHours),
    family.reason ? h("span", { class: "reason" }, family.reason) : h("span", { class: "muted" }, "—"),
  ];
}

export function render(root, context) {
  const body = h("div", {});
  root.append(h("h2", {}, t("stuck")), body);
  let stopped = false;

  async function refresh() {
    const result = await context.ask(STUCK);
    if (stopped) return;
    const found = result.data?.stuckFamilies;
    body.replaceChildren(panel(t("stuckTitle"), "stuck-families", !found
      ? h("p", { class: "error" }, problem(result))
      : found.length
        ? table([t("familyId"), t("stage"), t("site"), t("stuckRule"), t("since"), t("overdueBy"),
          t("reason")], found.map(row))
        : h("p", { class: "muted" }, t("noneStuck"))));
    for (const [index, family] of (found ?? []).entries()) {
      body.querySelectorAll("tbody tr")[index].dataset.familyId = family.familyUnitId;
    }
  }

  refresh();
  const timer = setInterval(refresh, EVERY_MS);
  const stopLive = liveRefresh(context, refresh);
  return () => { stopped = true; clearInterval(timer); stopLive(); };
}

// access.js - access requests after blind hits: the ones I asked (and their
// decisions), and the ones I decide as a case's owner or prosecutor.
import { h } from "../lib/dom.js";
import { t, label } from "../lib/i18n.js";
import { api } from "../lib/api.js";
import { can } from "../lib/app.js";
import { pageHeader, section, table, badge, field, errorBox, setFieldError } from "../lib/ui.js";
import { errorText } from "../lib/errors.js";
import { fmtDateTime } from "../lib/format.js";

function statusBadge(s) {
	return badge(label("access_status", s), `access-${s}`);
}

function decideForm(req, onDone) {
	if (req.status !== "pending" || !can("POST", "/api/v1/access-requests/{id}/decision")) return "";
	const note = h("input", { maxlength: "500", autocomplete: "off" });
	const out = h("div", { class: "decide" });
	const decide = (grant) => async () => {
		out.querySelectorAll("button").forEach((b) => { b.disabled = true; });
		try {
			const r = await api("POST", `/api/v1/access-requests/${req.id}/decision`, { grant, note: note.value.trim() });
			onDone(r);
		} catch (err) {
			out.querySelectorAll("button").forEach((b) => { b.disabled = false; });
			setFieldError(note, errorText(err));
		}
	};
	out.append(field({ id: `access-note-${req.id}`, label: t("access.note"), input: note }),
		h("button", { type: "button", class: "small primary grant", onclick: decide(true) }, t("access.grant")),
		h("button", { type: "button", class: "small refuse", onclick: decide(false) }, t("access.refuse")));
	return out;
}

export async function accessPage(view) {
	const r = await api("GET", "/api/v1/access-requests");
	const toDecide = r.to_decide || [];
	const mine = r.mine || [];
	const rows = (items, decider) => table([
		{ label: t("notifications.when"), cell: (x) => fmtDateTime(x.created_at) },
		{ label: t("case.number"), cell: (x) => (decider || x.status === "granted" ? h("a", { href: `/cases/${x.case_id}` }, x.case_number) : x.case_number) },
		decider ? { label: t("access.requester"), cell: (x) => x.requester } : null,
		{ label: t("access.reason"), cell: (x) => x.reason },
		{ label: t("case.status"), cell: (x) => [statusBadge(x.status), x.note ? h("span", { class: "muted" }, ` ${x.note}`) : null] },
		decider ? { label: t("access.decision"), cell: (x) => {
			const box = h("div", { dataset: { access: String(x.id) } });
			box.append(decideForm(x, (d) => box.replaceChildren(statusBadge(d.status))));
			return box;
		} } : null,
	].filter(Boolean), items, { empty: t("access.none") });
	view.append(pageHeader(t("nav.access")),
		section(t("access.to_decide"), rows(toDecide, true)),
		section(t("access.mine"), rows(mine, false)));
}

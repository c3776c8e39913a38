// cases.js - the cases I may read (members and the center) and one case:
// details, members, linked reports, the identifiers in them with cross-case
// counts, and a timeline; its owner and prosecutors (and the center) edit it.
import { h } from "../lib/dom.js";
import { t, label } from "../lib/i18n.js";
import { api, qs } from "../lib/api.js";
import { app, can, reachOf, agencies, agencyName, navigate, renderRoute, flash } from "../lib/app.js";
import { pageHeader, section, dl, table, badge, emptyState, errorBox, field, select, setFieldError, clearFieldErrors } from "../lib/ui.js";
import { errorText } from "../lib/errors.js";
import { fmtDate, fmtDateTime, fmtNumber } from "../lib/format.js";
import { CASE_STATUSES } from "../lib/enums.js";
import { reportsTable, identHref, riskBadge } from "./report.js";

const MEMBER_ROLES = ["investigator", "prosecutor", "analyst", "viewer", "owner"];

export async function caseListPage(view, { query }) {
	const status = query.get("status") || "";
	const [r, agencyMap] = await Promise.all([api("GET", `/api/v1/cases${qs({ status })}`), agencies().catch(() => null)]);
	const filter = h("form", { class: "filters", onsubmit: (ev) => ev.preventDefault() },
		h("label", { for: "f-status" }, t("case.status")),
		h("select", { id: "f-status", value: status, onchange: (ev) => navigate(`/cases${qs({ status: ev.target.value })}`) },
			h("option", { value: "" }, t("common.all")), CASE_STATUSES.map((s) => h("option", { value: s }, label("status", s)))));
	view.append(pageHeader(t("nav.cases")), h("section", { class: "card" }, filter, casesTable(r.items || [], { agencyMap })));
}

// Cases as a table; { compact } leaves out the office and the date (the dashboard).
export function casesTable(items, { agencyMap = null, compact = false } = {}) {
	const office = (c) => (agencyMap && agencyName(agencyMap.get(c.office_id))) || c.office || "";
	return table([
		{ label: t("case.number"), cell: (c) => h("a", { href: `/cases/${c.id}`, class: "nowrap" }, c.number) },
		{ label: t("case.title"), cell: (c) => c.title || "" },
		{ label: t("case.status"), cell: (c) => badge(label("status", c.status), `status-${c.status}`) },
		compact ? null : { label: t("case.office"), cell: office },
		{ label: t("case.reports"), cell: (c) => fmtNumber(c.reports), className: "num" },
		compact ? null : { label: t("case.updated"), cell: (c) => fmtDate(c.updated_at), className: "nowrap" },
	].filter(Boolean), items, { empty: t("case.none") });
}

// The case's page again after a change, with a note saying what was done.
async function reload(text) {
	flash(text);
	await renderRoute({ focus: false });
}

// A form whose submit calls fn(); errors land by the field the server names (or below the form).
function editForm(id, inputs, fn, ...children) {
	const status = h("div", { class: "form-status", role: "alert" });
	const submit = children.pop();
	const form = h("form", { id, class: "edit-form", novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		clearFieldErrors(form);
		status.replaceChildren();
		submit.disabled = true;
		try {
			await fn();
		} catch (err) {
			submit.disabled = false;
			if (err.handled) return; // checked here, already shown by its field
			const input = inputs[err.field];
			if (input) { setFieldError(input, errorText(err)); input.focus(); } else status.replaceChildren(errorBox(err));
		}
	} }, children, status, submit);
	return form;
}

// One timeline entry in the user's language (actions of GET /api/v1/cases/{id}/events).
function eventText(e) {
	const d = e.detail || "";
	switch (e.action) {
	case "case.create": return t("case.ev_created");
	case "case.update": return d.split("; ").map((part) => {
		const st = /^status (\S+) → (\S+)$/.exec(part);
		if (st) return t("case.ev_status", { from: label("status", st[1]), to: label("status", st[2]) });
		// Events written before the detail said "from → to" hold the new status alone.
		if (CASE_STATUSES.includes(part)) return t("case.ev_status_set", { to: label("status", part) });
		return t("case.ev_title", { title: part.replace(/^title /, "") });
	}).join(t("common.list_sep"));
	case "case.member.add": {
		const m = /^(.*) as (\w+)$/.exec(d);
		return t("case.ev_member", { name: m ? m[1] : d, role: m ? label("case_role", m[2]) : "" });
	}
	case "case.member.remove": return t("case.ev_member_removed", { name: d });
	case "case.report.link": return t("case.ev_linked", { id: d.replace(/^report /, "") });
	case "case.access.grant": return t("case.ev_access_granted", { name: d });
	case "case.access.refuse": return t("case.ev_access_refused", { name: d });
	case "report.reported": return t("case.ev_report", { id: e.report_id, crime: label("crime", d) });
	default: return e.action;
	}
}

function eventHref(e) {
	if (e.report_id) return `/reports/${e.report_id}`;
	const m = e.action === "case.report.link" && /^report (\d+)$/.exec(e.detail || "");
	return m ? `/reports/${m[1]}` : null;
}

export function timeline(events) {
	if (!events.length) return emptyState(t("case.no_events"));
	return h("ol", { class: "timeline", id: "case-timeline" }, events.map((e) => {
		const href = eventHref(e);
		const text = eventText(e);
		return h("li", { dataset: { action: e.action } },
			h("time", { datetime: e.at }, fmtDateTime(e.at)), " ", href ? h("a", { href }, text) : text,
			e.actor ? h("span", { class: "muted" }, ` · ${e.actor}`) : null);
	}));
}

export function caseIdentTable(items) {
	return table([
		{ label: t("field.identifier.value"), cell: (x) => h("a", { href: identHref(x), class: "ident-link" }, x.display || x.value) },
		{ label: t("field.identifier.type"), cell: (x) => [label("type", x.type), " ", riskBadge(x.risk)] },
		{ label: t("field.identifier.role"), cell: (x) => label("role_ident", x.role) },
		{ label: t("case.ident_reports"), cell: (x) => fmtNumber(x.case_reports), className: "num" },
		{ label: t("case.ident_other_cases"), cell: (x) => (x.other_cases == null ? t("case.ident_withheld") : fmtNumber(x.other_cases)), className: "num" },
		{ label: t("case.ident_all_reports"), cell: (x) => (x.all_reports == null ? "" : fmtNumber(x.all_reports)), className: "num" },
	], items, { caption: t("case.identifiers"), empty: t("case.no_identifiers") });
}

export async function casePage(view, { params }) {
	const id = Number(params[0]);
	let c;
	try {
		c = await api("GET", `/api/v1/cases/${id}`);
	} catch (err) {
		if (err.status === 404 || err.status === 403) {
			view.append(pageHeader(t("case.title_n", { id })), h("div", { class: "alert error", role: "alert", id: "case-denied" }, t("case.not_visible")));
			return null;
		}
		throw err;
	}
	const me = app.session.user.id;
	const members = c.members || [];
	const center = reachOf("PATCH", "/api/v1/cases/{id}") === "all";
	const mine = members.find((m) => m.user_id === me);
	const mayChange = can("PATCH", "/api/v1/cases/{id}") && (center || (mine && ["owner", "prosecutor"].includes(mine.role)));
	const mayLink = can("POST", "/api/v1/cases/{id}/reports") && (center || !!mine);
	const [agencyMap, list, idents, events, users] = await Promise.all([
		agencies().catch(() => new Map()),
		api("GET", `/api/v1/reports${qs({ case_id: id, limit: 500 })}`).then((r) => r.items || []).catch(() => c.reports || []),
		api("GET", `/api/v1/cases/${id}/identifiers`).catch((err) => err),
		api("GET", `/api/v1/cases/${id}/events`).catch((err) => err),
		mayChange && can("GET", "/api/v1/users") ? api("GET", "/api/v1/users").then((r) => r.items || []).catch(() => []) : [],
	]);
	const reports = list.length >= (c.reports || []).length ? list : c.reports;

	// Details, and their form for those who may change the case.
	let editSec = null;
	if (mayChange) {
		const title = h("input", { value: c.title || "", maxlength: "250" });
		const status = select(CASE_STATUSES.map((st) => [st, label("status", st)]), {});
		status.value = c.status;
		editSec = editForm("case-edit", { title, status }, async () => {
			await api("PATCH", `/api/v1/cases/${id}`, { title: title.value.trim(), status: status.value });
			await reload(t("case.saved"));
		}, h("div", { class: "grid" },
			field({ id: "case-title", label: t("case.title"), input: title }),
			field({ id: "case-status", label: t("case.status"), input: status })),
		h("button", { type: "submit", class: "primary" }, t("common.save")));
	}

	// Members: remove (with a confirming second press), add a colleague.
	const memberCols = [
		{ label: t("account.name"), cell: (m) => m.display_name || m.username },
		{ label: t("signin.username"), cell: (m) => m.username },
		{ label: t("case.member_role"), cell: (m) => label("case_role", m.role) },
		{ label: t("account.agency"), cell: (m) => agencyName(agencyMap.get(m.agency_id)) },
		{ label: t("case.added"), cell: (m) => fmtDate(m.added_at) },
	];
	if (mayChange) memberCols.push({ label: t("case.actions"), cell: (m) => {
		const b = h("button", { type: "button", class: "small remove-member", dataset: { user: m.username },
			"aria-label": t("case.remove_member_named", { name: m.display_name || m.username }), onclick: async () => {
				if (b.dataset.confirm !== "1") {
					b.dataset.confirm = "1";
					b.textContent = t("case.remove_confirm");
					return;
				}
				b.disabled = true;
				try {
					await api("DELETE", `/api/v1/cases/${id}/members/${m.user_id}`);
					await reload(t("case.member_removed", { name: m.display_name || m.username }));
				} catch (err) {
					b.disabled = false;
					b.replaceWith(errorBox(err));
				}
			} }, t("common.remove"));
		return b;
	} });
	let addMember = null;
	if (mayChange) {
		const candidates = users.filter((u) => !u.disabled && !members.some((m) => m.user_id === u.id));
		const user = select([["", t("common.choose")], ...candidates.map((u) => [String(u.id), `${u.display_name || u.username} (${u.username})`])], {});
		const role = select(MEMBER_ROLES.map((r) => [r, label("case_role", r)]), {});
		addMember = candidates.length ? editForm("member-add", { user_id: user, role }, async () => {
			if (!user.value) { setFieldError(user, t("error.required")); user.focus(); throw Object.assign(new Error("required"), { handled: true }); }
			await api("POST", `/api/v1/cases/${id}/members`, { user_id: Number(user.value), role: role.value });
			await reload(t("case.member_added", { name: user.selectedOptions[0].textContent }));
		}, h("h3", null, t("case.add_member")), h("div", { class: "inline-form" },
			field({ id: "member-user", label: t("case.member_user"), input: user, hint: t("case.member_user_hint") }),
			field({ id: "member-role", label: t("case.member_role"), input: role })),
		h("button", { type: "submit" }, t("case.add_member"))) : h("p", { class: "hint" }, t("case.no_candidates"));
	}

	// Link a report by its number.
	let linkForm = null;
	if (mayLink) {
		const rid = h("input", { inputmode: "numeric", autocomplete: "off", placeholder: "#123" });
		linkForm = editForm("report-link", { report_id: rid }, async () => {
			const n = /^\s*#?\s*(\d{1,12})\s*$/.exec(rid.value.replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)));
			if (!n) { setFieldError(rid, t("case.link_bad")); rid.focus(); throw Object.assign(new Error("bad"), { handled: true }); }
			await api("POST", `/api/v1/cases/${id}/reports`, { report_id: Number(n[1]) });
			await reload(t("case.linked", { id: n[1] }));
		}, h("h3", null, t("case.link_report")), h("div", { class: "inline-form" },
			field({ id: "link-report", label: t("case.link_label"), input: rid, hint: t("case.link_hint") })),
		h("button", { type: "submit" }, t("case.link_button")));
	}

	const identBox = idents instanceof Error ? errorBox(idents) : [caseIdentTable(idents.items || []),
		idents.truncated ? h("p", { class: "hint" }, t("case.ident_partial", { n: 500 })) : null,
		h("p", { class: "hint" }, t("case.ident_hint"))];
	view.append(pageHeader(c.number, badge(label("status", c.status), `status-${c.status}`)),
		section(t("case.details"), dl([
			[t("case.title"), c.title],
			[t("case.office"), agencyName(agencyMap.get(c.office_id))],
			[t("case.status"), label("status", c.status)],
			[t("case.created"), fmtDateTime(c.created_at)],
			[t("case.updated"), fmtDateTime(c.updated_at)],
			[t("case.reports"), fmtNumber(reports.length)],
		]), editSec ? h("details", { class: "edit", id: "case-edit-box" }, h("summary", null, t("case.edit")), editSec) : null),
		section(t("case.members"), table(memberCols, members, { empty: t("case.no_members") }), addMember),
		section(t("case.linked_reports"), reportsTable(reports, agencyMap), linkForm),
		section(t("case.identifiers"), h("div", { id: "case-idents" }, identBox)),
		section(t("case.timeline"), events instanceof Error ? errorBox(events) : timeline(events.items || [])));
	return null;
}

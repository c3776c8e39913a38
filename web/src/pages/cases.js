// cases.js - the cases I may read (members and the center) and one case:
// details, members, linked reports, the identifiers in them, and a timeline.
import { h } from "../lib/dom.js";
import { t, label } from "../lib/i18n.js";
import { api, qs } from "../lib/api.js";
import { agencies, agencyName, navigate } from "../lib/app.js";
import { pageHeader, section, dl, table, badge, emptyState, errorBox } from "../lib/ui.js";
import { fmtDate, fmtDateTime, fmtNumber } from "../lib/format.js";
import { CASE_STATUSES } from "../lib/enums.js";
import { reportsTable, identHref } from "./report.js";

const CASE_REPORT_IDENTS = 30; // reports read to list a case's identifiers

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
	const [agencyMap, list] = await Promise.all([
		agencies().catch(() => new Map()),
		api("GET", `/api/v1/reports${qs({ case_id: id, limit: 500 })}`).then((r) => r.items || []).catch(() => c.reports || []),
	]);
	const reports = list.length >= (c.reports || []).length ? list : c.reports;
	const identBox = h("div", { id: "case-idents" }, h("p", { class: "loading", role: "status" }, t("common.loading")));

	const events = [
		{ at: c.created_at, text: t("case.ev_created") },
		...(c.members || []).map((m) => ({ at: m.added_at, text: t("case.ev_member", { name: m.display_name || m.username, role: label("case_role", m.role) }) })),
		...reports.map((r) => ({ at: r.reported_at, text: t("case.ev_report", { id: r.id, crime: label("crime", r.crime_type) }), href: `/reports/${r.id}` })),
	];
	if (c.updated_at && c.updated_at !== c.created_at) events.push({ at: c.updated_at, text: t("case.ev_updated") });
	events.sort((a, b) => String(a.at).localeCompare(String(b.at)));

	view.append(pageHeader(c.number, badge(label("status", c.status), `status-${c.status}`)),
		section(t("case.details"), dl([
			[t("case.title"), c.title],
			[t("case.office"), agencyName(agencyMap.get(c.office_id))],
			[t("case.status"), label("status", c.status)],
			[t("case.created"), fmtDateTime(c.created_at)],
			[t("case.updated"), fmtDateTime(c.updated_at)],
			[t("case.reports"), fmtNumber(reports.length)],
		])),
		section(t("case.members"), table([
			{ label: t("account.name"), cell: (m) => m.display_name || m.username },
			{ label: t("signin.username"), cell: (m) => m.username },
			{ label: t("case.member_role"), cell: (m) => label("case_role", m.role) },
			{ label: t("account.agency"), cell: (m) => agencyName(agencyMap.get(m.agency_id)) },
			{ label: t("case.added"), cell: (m) => fmtDate(m.added_at) },
		], c.members || [], { empty: t("case.no_members") })),
		section(t("case.linked_reports"), reportsTable(reports, agencyMap)),
		section(t("case.identifiers"), identBox),
		section(t("case.timeline"), events.length ? h("ol", { class: "timeline" }, events.map((e) => h("li", null,
			h("time", { datetime: e.at }, fmtDateTime(e.at)), " ", e.href ? h("a", { href: e.href }, e.text) : e.text))) : emptyState(t("common.empty"))));

	return async () => {
		// The identifiers named in the case's reports, with how many of them name each.
		try {
			const some = reports.slice(0, CASE_REPORT_IDENTS);
			const full = await Promise.all(some.map((r) => api("GET", `/api/v1/reports/${r.id}`).catch(() => null)));
			const seen = new Map();
			for (const rep of full) for (const x of (rep && rep.identifiers) || []) {
				if (x.role === "victim") continue;
				const k = `${x.type}:${x.value}`;
				const e = seen.get(k) || { ...x, n: 0 };
				e.n++;
				seen.set(k, e);
			}
			const rows = [...seen.values()].sort((a, b) => b.n - a.n);
			identBox.replaceChildren(table([
				{ label: t("field.identifier.type"), cell: (x) => label("type", x.type) },
				{ label: t("field.identifier.value"), cell: (x) => h("a", { href: identHref(x) }, x.display || x.value) },
				{ label: t("field.identifier.role"), cell: (x) => label("role_ident", x.role) },
				{ label: t("case.ident_reports"), cell: (x) => fmtNumber(x.n), className: "num" },
			], rows, { empty: t("report.no_identifiers") }),
			reports.length > CASE_REPORT_IDENTS ? h("p", { class: "hint" }, t("case.ident_partial", { n: CASE_REPORT_IDENTS })) : "");
		} catch (err) {
			identBox.replaceChildren(errorBox(err));
		}
	};
}

// dashboard.js - the first page: reports and cases this week and this month by
// crime type and by office, reports per day, the identifiers named across the
// most cases (GET /api/v1/stats/*: the center's national figures, or what the
// caller may read), newest reports, my cases, my notifications.
import { h } from "../lib/dom.js";
import { t, label } from "../lib/i18n.js";
import { api, qs } from "../lib/api.js";
import { app, can, agencies, agencyName } from "../lib/app.js";
import { pageHeader, section, table, errorBox, dl, badge } from "../lib/ui.js";
import { fmtDate, fmtMoney, fmtNumber, taipeiPeriodStarts } from "../lib/format.js";
import { reportsTable, riskBadge } from "./report.js";
import { casesTable } from "./cases.js";
import { notificationList } from "./notifications.js";

// An instant as the API takes it (ISO 8601 UTC, whole seconds).
export const isoSeconds = (d) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

function stats(kind, since, group) {
	return api("GET", `/api/v1/stats/${kind}${qs({ since: isoSeconds(since), group_by: group })}`);
}

// Week and month answers of one grouping merged: [{ key, name, week, month }], largest month first.
function merge(week, month, nameOf) {
	const rows = new Map();
	for (const [which, s] of [["week", week], ["month", month]]) {
		for (const g of (s && s.groups) || []) {
			const r = rows.get(g.key) || { key: g.key, name: nameOf(g), week: 0, month: 0 };
			r[which] = g.count;
			rows.set(g.key, r);
		}
	}
	return [...rows.values()].sort((a, b) => b.month - a.month || b.week - a.week || a.name.localeCompare(b.name));
}

function weekMonthTable(rows, { caption, first, empty }) {
	return table([
		{ label: first, cell: (r) => r.name },
		{ label: t("dash.this_week"), cell: (r) => fmtNumber(r.week), className: "num" },
		{ label: t("dash.this_month"), cell: (r) => fmtNumber(r.month), className: "num" },
	], rows, { caption, empty });
}

// A chart with its numbers as a table below (every chart has one).
function chartSection(title, id, rows, tableEl) {
	const chart = rows.length ? h("div", { class: "chart", id, role: "img", "aria-label": title }) : null;
	return { chart, el: section(title, chart, h("details", { class: "data-table" }, h("summary", null, t("dash.as_table")), tableEl)) };
}

export function topIdentifiersTable(items) {
	return table([
		{ label: t("field.identifier.value"), cell: (x) => h("a", { href: `/identifiers/${x.identifier.id}`, class: "ident-link" }, x.identifier.display || x.identifier.value) },
		{ label: t("field.identifier.type"), cell: (x) => [label("type", x.identifier.type), " ", riskBadge(x.identifier.risk)] },
		{ label: t("dash.top_cases"), cell: (x) => fmtNumber(x.cases), className: "num" },
		{ label: t("dash.top_reports"), cell: (x) => fmtNumber(x.reports), className: "num" },
		{ label: t("dash.top_offices"), cell: (x) => fmtNumber(x.agencies), className: "num" },
		{ label: t("dash.top_readable"), cell: (x) => fmtNumber(x.readable_reports), className: "num" },
		{ label: t("field.loss.twd"), cell: (x) => fmtMoney(x.loss_twd), className: "num" },
	], items, { caption: t("dash.top_title"), empty: t("dash.top_empty") });
}

export async function dashboardPage(view) {
	const s = app.session;
	const title = t("dash.title");
	if (!can("GET", "/api/v1/stats/reports")) {
		view.append(pageHeader(title), section(t("dash.welcome", { name: s.user.display_name || s.user.username }),
			dl([[t("account.agency"), agencyName(s.agency)], [t("account.roles"), s.user.roles.map((r) => label("role", r)).join(t("common.list_sep"))]]),
			h("p", null, t("dash.no_reports_role"))));
		return null;
	}
	const starts = taipeiPeriodStarts();
	const withCases = can("GET", "/api/v1/stats/cases");
	const [wCrime, mCrime, wOffice, mOffice, mDay, wCases, mCases, top, newest, cases, notes, agencyMap] = await Promise.all([
		stats("reports", starts.week, "crime_type"),
		stats("reports", starts.month, "crime_type"),
		stats("reports", starts.week, "agency"),
		stats("reports", starts.month, "agency"),
		stats("reports", starts.month, "day"),
		withCases ? stats("cases", starts.week, "agency") : null,
		withCases ? stats("cases", starts.month, "agency") : null,
		can("GET", "/api/v1/stats/top-identifiers") ? api("GET", "/api/v1/stats/top-identifiers?limit=10").catch(() => null) : null,
		api("GET", "/api/v1/reports?limit=10").then((r) => r.items || []),
		can("GET", "/api/v1/cases") ? api("GET", "/api/v1/cases").then((r) => r.items || []).catch(() => null) : null,
		can("GET", "/api/v1/notifications") ? api("GET", "/api/v1/notifications").catch(() => null) : null,
		agencies().catch(() => new Map()),
	]);

	const kpi = (id, key, st, sub) => h("div", { class: "kpi" }, h("p", { class: "kpi-label" }, t(key)),
		h("p", { class: "kpi-value", id, dataset: st ? { since: st.since } : undefined }, fmtNumber(st ? st.count : 0)),
		sub ? h("p", { class: "kpi-sub" }, sub) : null);
	const officeName = (g) => agencyName(agencyMap.get(g.agency_id)) || g.name || g.key;
	const crimes = merge(wCrime, mCrime, (g) => label("crime", g.key));
	const offices = merge(wOffice, mOffice, officeName);
	const caseOffices = withCases ? merge(wCases, mCases, officeName) : [];
	const days = (mDay.groups || []).map((g) => ({ key: g.key, n: g.count }));
	const topItems = (top && top.items) || [];

	const crimeSec = chartSection(t("dash.by_crime"), "chart-crime", crimes,
		weekMonthTable(crimes, { caption: t("dash.by_crime"), first: t("field.crime_type"), empty: t("dash.no_reports_period") }));
	const officeSec = chartSection(t("dash.by_office"), "chart-office", offices,
		weekMonthTable(offices, { caption: t("dash.by_office"), first: t("case.office"), empty: t("dash.no_reports_period") }));
	const caseSec = withCases ? chartSection(t("dash.cases_by_office"), "chart-cases", caseOffices,
		weekMonthTable(caseOffices, { caption: t("dash.cases_by_office"), first: t("case.office"), empty: t("dash.no_cases_period") })) : null;
	const daySec = chartSection(t("dash.per_day"), "chart-days", days, table([
		{ label: t("dash.day"), cell: (d) => fmtDate(`${d.key}T00:00:00+08:00`) },
		{ label: t("dash.reports"), cell: (d) => fmtNumber(d.n), className: "num" },
	], days, { caption: t("dash.per_day"), empty: t("dash.no_reports_month") }));
	const topSec = top ? chartSection(t("dash.top_title"), "chart-top", topItems, topIdentifiersTable(topItems)) : null;
	if (topSec) topSec.el.querySelector("details").open = true;

	const scopeAll = mCrime.scope === "all";
	view.append(pageHeader(title),
		h("p", { class: "lead", id: "dash-period" }, t("dash.period", { week: fmtDate(starts.week), month: fmtDate(starts.month) }), " ",
			badge(t(scopeAll ? "dash.scope_all" : "dash.scope_readable"), scopeAll ? "status-open" : "")),
		h("div", { class: "kpis" },
			kpi("kpi-reports-week", "dash.reports_week", wCrime, fmtMoney(wCrime.loss_twd)),
			kpi("kpi-reports-month", "dash.reports_month", mCrime, fmtMoney(mCrime.loss_twd)),
			withCases ? kpi("kpi-cases-week", "dash.cases_week", wCases) : null,
			withCases ? kpi("kpi-cases-month", "dash.cases_month", mCases) : null,
			cases ? h("div", { class: "kpi" }, h("p", { class: "kpi-label" }, t("dash.cases_open")),
				h("p", { class: "kpi-value", id: "kpi-cases-open" }, fmtNumber(cases.filter((c) => c.status !== "closed").length)),
				h("p", { class: "kpi-sub" }, t("dash.cases_total", { n: fmtNumber(cases.length) }))) : null,
			notes ? h("div", { class: "kpi" }, h("p", { class: "kpi-label" }, t("dash.unread")), h("p", { class: "kpi-value" }, fmtNumber(notes.unread || 0))) : null),
		h("p", { class: "hint" }, t(scopeAll ? "dash.scope_all_hint" : "dash.scope_readable_hint"),
			mCrime.duplicates ? ` ${t("dash.duplicates", { n: fmtNumber(mCrime.duplicates) })}` : ""),
		h("div", { class: "two" }, crimeSec.el, officeSec.el),
		h("div", { class: "two" }, daySec.el, caseSec ? caseSec.el : null),
		topSec ? topSec.el : null,
		section(t("dash.newest"), reportsTable(newest, agencyMap), h("p", null, h("a", { href: "/reports" }, t("dash.all_reports")))),
		h("div", { class: "two" },
			cases ? section(t("dash.my_cases"), casesTable(cases.slice(0, 8), { agencyMap, compact: true }),
				cases.length > 8 ? h("p", null, h("a", { href: "/cases" }, t("dash.all_cases"))) : null) : null,
			notes ? section(t("nav.notifications"), notificationList((notes.items || []).slice(0, 6)),
				(notes.items || []).length > 6 ? h("p", null, h("a", { href: "/notifications" }, t("dash.all_notifications"))) : null) : null));

	return async () => {
		try {
			const { barChart, columnChart } = await import("../charts.js");
			const series = (rows) => [{ name: t("dash.this_week"), data: rows.map((r) => r.week) }, { name: t("dash.this_month"), data: rows.map((r) => r.month) }];
			if (crimeSec.chart) barChart(crimeSec.chart, { categories: crimes.map((r) => r.name), series: series(crimes), description: t("dash.chart_desc_crime") });
			if (officeSec.chart) barChart(officeSec.chart, { categories: offices.map((r) => r.name), series: series(offices), description: t("dash.chart_desc_office") });
			if (caseSec && caseSec.chart) barChart(caseSec.chart, { categories: caseOffices.map((r) => r.name), series: series(caseOffices), description: t("dash.chart_desc_cases") });
			if (daySec.chart) columnChart(daySec.chart, {
				categories: days.map((d) => `${+d.key.slice(5, 7)}/${+d.key.slice(8, 10)}`),
				series: [{ name: t("dash.reports"), data: days.map((d) => d.n) }], description: t("dash.chart_desc_days"),
			});
			if (topSec && topSec.chart) barChart(topSec.chart, {
				categories: topItems.map((x) => t("dash.top_chart_label", { v: x.identifier.display || x.identifier.value, n: x.cases })),
				series: [{ name: t("dash.top_reports"), data: topItems.map((x) => x.reports) }],
				description: t("dash.chart_desc_top"),
			});
		} catch (err) {
			view.prepend(errorBox(err));
		}
	};
}

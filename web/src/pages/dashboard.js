// dashboard.js - the first page: reports this week and this month by crime type
// and by office (counted from GET /api/v1/reports pages until the API has a
// statistics endpoint), newest reports, my cases, my notifications.
import { h } from "../lib/dom.js";
import { t, label } from "../lib/i18n.js";
import { api, qs } from "../lib/api.js";
import { app, can, agencies, agencyName } from "../lib/app.js";
import { pageHeader, section, table, emptyState, errorBox, dl } from "../lib/ui.js";
import { fmtDate, fmtMoney, fmtNumber, taipeiPeriodStarts } from "../lib/format.js";
import { CRIME_TYPES } from "../lib/enums.js";
import { reportsTable } from "./report.js";
import { casesTable } from "./cases.js";
import { notificationList } from "./notifications.js";

const PAGE = 500;
const MAX_PAGES = 20; // 10,000 reports at most; beyond that the counts say "at least"

// Every report reported at or after `since`, newest first, page by page.
async function reportsSince(since) {
	const all = [];
	let before = "";
	for (let i = 0; i < MAX_PAGES; i++) {
		const r = await api("GET", `/api/v1/reports${qs({ since: since.toISOString(), before_id: before, limit: PAGE })}`);
		const items = r.items || [];
		all.push(...items);
		if (items.length < PAGE) return { items: all, complete: true };
		before = items[items.length - 1].id;
	}
	return { items: all, complete: false };
}

function countBy(items, key) {
	const m = new Map();
	for (const x of items) m.set(key(x), (m.get(key(x)) || 0) + 1);
	return m;
}

export async function dashboardPage(view) {
	const s = app.session;
	const title = t("dash.title");
	if (!can("GET", "/api/v1/reports")) {
		view.append(pageHeader(title), section(t("dash.welcome", { name: s.user.display_name || s.user.username }),
			dl([[t("account.agency"), agencyName(s.agency)], [t("account.roles"), s.user.roles.map((r) => label("role", r)).join(t("common.list_sep"))]]),
			h("p", null, t("dash.no_reports_role"))));
		return null;
	}
	const starts = taipeiPeriodStarts();
	const since = starts.week < starts.month ? starts.week : starts.month;
	const [period, newest, cases, notes, agencyMap] = await Promise.all([
		reportsSince(since),
		api("GET", "/api/v1/reports?limit=10").then((r) => r.items || []),
		can("GET", "/api/v1/cases") ? api("GET", "/api/v1/cases").then((r) => r.items || []).catch(() => null) : null,
		can("GET", "/api/v1/notifications") ? api("GET", "/api/v1/notifications").then((r) => r).catch(() => null) : null,
		agencies().catch(() => new Map()),
	]);
	// Likely duplicates (another channel's copy of a report) are not counted twice.
	const counted = period.items.filter((x) => !x.duplicate_of);
	const week = counted.filter((x) => new Date(x.reported_at) >= starts.week);
	const month = counted.filter((x) => new Date(x.reported_at) >= starts.month);
	const loss = (xs) => xs.reduce((a, x) => a + (x.loss_twd || 0), 0);
	const atLeast = period.complete ? "" : t("dash.at_least");

	const kpi = (key, n, sub) => h("div", { class: "kpi" }, h("p", { class: "kpi-label" }, t(key)),
		h("p", { class: "kpi-value" }, atLeast + fmtNumber(n)), sub ? h("p", { class: "kpi-sub" }, sub) : null);

	const officeName = (x) => agencyName(agencyMap.get(x.agency_id)) || x.agency || String(x.agency_id);
	const crimeWeek = countBy(week, (x) => x.crime_type);
	const crimeMonth = countBy(month, (x) => x.crime_type);
	const crimes = CRIME_TYPES.filter((c) => crimeMonth.get(c) || crimeWeek.get(c));
	const officeWeek = countBy(week, officeName);
	const officeMonth = countBy(month, officeName);
	const offices = [...new Set([...officeMonth.keys(), ...officeWeek.keys()])]
		.sort((a, b) => (officeMonth.get(b) || 0) - (officeMonth.get(a) || 0));

	const chartCrime = h("div", { class: "chart", id: "chart-crime" });
	const chartOffice = h("div", { class: "chart", id: "chart-office" });
	const crimeTable = table([
		{ label: t("field.crime_type"), cell: (c) => label("crime", c) },
		{ label: t("dash.this_week"), cell: (c) => fmtNumber(crimeWeek.get(c) || 0), className: "num" },
		{ label: t("dash.this_month"), cell: (c) => fmtNumber(crimeMonth.get(c) || 0), className: "num" },
	], crimes, { caption: t("dash.by_crime"), empty: t("dash.no_reports_period") });
	const officeTable = table([
		{ label: t("case.office"), cell: (o) => o },
		{ label: t("dash.this_week"), cell: (o) => fmtNumber(officeWeek.get(o) || 0), className: "num" },
		{ label: t("dash.this_month"), cell: (o) => fmtNumber(officeMonth.get(o) || 0), className: "num" },
	], offices, { caption: t("dash.by_office"), empty: t("dash.no_reports_period") });

	const byStatus = cases ? countBy(cases, (c) => c.status) : null;
	view.append(pageHeader(title),
		h("p", { class: "lead" }, t("dash.period", { week: fmtDate(starts.week), month: fmtDate(starts.month) })),
		h("div", { class: "kpis" },
			kpi("dash.reports_week", week.length, fmtMoney(loss(week))),
			kpi("dash.reports_month", month.length, fmtMoney(loss(month))),
			cases ? kpi("dash.cases_open", cases.filter((c) => c.status !== "closed").length,
				t("dash.cases_total", { n: fmtNumber(cases.length) })) : null,
			notes ? kpi("dash.unread", notes.unread || 0) : null),
		h("div", { class: "two" },
			section(t("dash.by_crime"), crimes.length ? chartCrime : null, h("details", { class: "data-table" }, h("summary", null, t("dash.as_table")), crimeTable)),
			section(t("dash.by_office"), offices.length ? chartOffice : null, h("details", { class: "data-table" }, h("summary", null, t("dash.as_table")), officeTable))),
		section(t("dash.newest"), reportsTable(newest, agencyMap), h("p", null, h("a", { href: "/reports" }, t("dash.all_reports")))),
		h("div", { class: "two" },
			cases ? section(t("dash.my_cases"), byStatus.size ? h("p", { class: "hint" }, [...byStatus].map(([st, n]) => `${label("status", st)} ${n}`).join(" · ")) : null,
				casesTable(cases.slice(0, 8), { agencyMap, compact: true }), cases.length > 8 ? h("p", null, h("a", { href: "/cases" }, t("dash.all_cases"))) : null) : null,
			notes ? section(t("nav.notifications"), notificationList((notes.items || []).slice(0, 6)),
				(notes.items || []).length > 6 ? h("p", null, h("a", { href: "/notifications" }, t("dash.all_notifications"))) : null) : null));

	return async () => {
		if (!crimes.length && !offices.length) return;
		try {
			const { barChart } = await import("../charts.js");
			const series = (w, m) => [{ name: t("dash.this_week"), data: w }, { name: t("dash.this_month"), data: m }];
			if (crimes.length) barChart(chartCrime, {
				categories: crimes.map((c) => label("crime", c)),
				series: series(crimes.map((c) => crimeWeek.get(c) || 0), crimes.map((c) => crimeMonth.get(c) || 0)),
				description: t("dash.chart_desc_crime"),
			});
			if (offices.length) barChart(chartOffice, {
				categories: offices,
				series: series(offices.map((o) => officeWeek.get(o) || 0), offices.map((o) => officeMonth.get(o) || 0)),
				description: t("dash.chart_desc_office"),
			});
		} catch (err) {
			chartCrime.replaceChildren(errorBox(err));
		}
	};
}

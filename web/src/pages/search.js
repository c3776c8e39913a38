// search.js - one box for identifiers (any spelling → the identifier page),
// case numbers (→ the case), report numbers (#123 → the report), and words of
// case titles and of report narratives (GET /api/v1/reports?q=).
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import { api, qs } from "../lib/api.js";
import { can, navigate, agencies } from "../lib/app.js";
import { pageHeader, section, emptyState } from "../lib/ui.js";
import { reasonText } from "../lib/errors.js";
import { casesTable } from "./cases.js";
import { reportsTable } from "./report.js";

// Full-width digits and spaces folded, as the server folds them.
export function fold(s) {
	return s.replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s\u3000]+/g, "").trim();
}

export async function searchPage(view, { query }) {
	const q = (query.get("q") || "").trim();
	view.append(pageHeader(t("search.title", { q })));
	if (!q) { view.append(emptyState(t("search.empty"))); return null; }
	const folded = fold(q);

	// A report number: #123 or 通報123.
	const rep = /^(?:#|通報)(\d{1,12})$/.exec(folded);
	if (rep && can("GET", "/api/v1/reports/{id}")) {
		await navigate(`/reports/${rep[1]}`, { replace: true });
		return null;
	}
	// A case number or words of a case title.
	let cases = [];
	if (can("GET", "/api/v1/cases")) {
		const all = (await api("GET", "/api/v1/cases").catch(() => ({ items: [] }))).items || [];
		cases = all.filter((c) => fold(c.number).includes(folded) || (c.title || "").toLowerCase().includes(q.toLowerCase()));
		const exact = all.filter((c) => fold(c.number) === folded);
		if (exact.length === 1) { await navigate(`/cases/${exact[0].id}`, { replace: true }); return null; }
	}
	// An identifier in any spelling.
	let ident = null;
	let identError = null;
	if (can("GET", "/api/v1/identifiers") && !/年度.*字第/.test(folded)) {
		try {
			ident = await api("GET", `/api/v1/identifiers${qs({ value: q })}`);
		} catch (err) {
			identError = err;
		}
		if (ident && !cases.length) { await navigate(`/identifiers/${ident.identifier.id}`, { replace: true }); return null; }
	}
	if (ident) view.append(section(t("search.identifier"), h("p", null, h("a", { href: `/identifiers/${ident.identifier.id}` }, ident.identifier.display))));
	else if (identError && identError.status === 404) {
		view.append(section(t("search.identifier"), h("p", null, t("search.never_reported"), " ",
			h("a", { href: `/identifier${qs({ value: q })}` }, t("search.open_identifier")))));
	}
	// Words of report narratives (when the box did not hold an identifier).
	let reports = [];
	if (!ident && can("GET", "/api/v1/reports") && !/年度.*字第/.test(folded)) {
		reports = (await api("GET", `/api/v1/reports${qs({ q, limit: 50 })}`).catch(() => ({ items: [] }))).items || [];
	}
	const agencyMap = cases.length || reports.length ? await agencies().catch(() => null) : null;
	if (cases.length) view.append(section(t("nav.cases"), casesTable(cases, { agencyMap })));
	if (reports.length) {
		view.append(h("section", { class: "card", id: "search-reports", "aria-labelledby": "search-reports-h" },
			h("h2", { id: "search-reports-h" }, t("search.reports", { n: reports.length >= 50 ? "50+" : reports.length })),
			h("p", { class: "hint" }, t("search.reports_hint")), reportsTable(reports, agencyMap)));
	}
	if (identError && identError.status === 400 && !cases.length && !reports.length && /\d/.test(folded)) {
		// Digits but no identifier: say why it is not one (a mistyped phone number, say).
		view.append(section(t("search.identifier"), h("p", null, t("ident.not_identifier", { reason: reasonText(identError.detail) }))));
	} else if (!cases.length && !reports.length && !ident && !(identError && identError.status === 404)) view.append(emptyState(t("search.nothing")));
	return null;
}

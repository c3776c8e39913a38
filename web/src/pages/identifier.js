// identifier.js - an identifier's record: canonical form, type details, every
// report and case it appears in as need-to-know allows, blind hits, watch /
// unwatch, and a small neighbourhood graph (cytoscape.js, loaded on demand).
import { h } from "../lib/dom.js";
import { t, label } from "../lib/i18n.js";
import { api, qs } from "../lib/api.js";
import { can, navigate } from "../lib/app.js";
import { errorBox, notice, pageHeader, section, dl, badge, emptyState, field, select } from "../lib/ui.js";
import { errorText, reasonText } from "../lib/errors.js";
import { fmtDateTime, fmtMoney, fmtNumber } from "../lib/format.js";
import { IDENT_TYPES } from "../lib/enums.js";
import { identDetails, identHref, riskBadge, blindHits, relatedReports } from "./report.js";

const GRAPH_REPORTS = 12; // reports whose other identifiers are drawn
const GRAPH_IDENTS = 40; // identifiers drawn at most

function watchControl(ident) {
	if (!can("POST", "/api/v1/watches")) return null;
	const wrap = h("div", { class: "watch", "aria-live": "polite" });
	let watch = null;
	const render = () => {
		const btn = h("button", { type: "button", id: "watch-toggle", "aria-pressed": watch ? "true" : "false", onclick: async () => {
			btn.disabled = true;
			try {
				if (watch) {
					await api("DELETE", `/api/v1/watches/${watch.id}`);
					watch = null;
				} else {
					watch = await api("POST", "/api/v1/watches", { type: ident.type, value: ident.value });
				}
				render();
				wrap.querySelector("button").focus();
			} catch (err) {
				btn.disabled = false;
				wrap.append(errorBox(err));
			}
		} }, watch ? t("ident.unwatch") : t("ident.watch"));
		wrap.replaceChildren(btn, h("span", { class: "hint" }, watch ? t("ident.watching") : t("ident.watch_hint")));
	};
	render();
	if (can("GET", "/api/v1/watches")) {
		api("GET", "/api/v1/watches").then((r) => {
			watch = (r.items || []).find((w) => (ident.id && w.identifier_id === ident.id) || (w.type === ident.type && w.value === ident.value)) || null;
			render();
		}).catch(() => {});
	}
	return wrap;
}

// The identifier, its readable reports and their other identifiers, and the
// offices holding blind hits: a bounded neighbourhood for cytoscape.js.
async function neighbourhood(rec) {
	const x = rec.identifier;
	const key = (i) => `i:${i.type}:${i.value}`;
	const nodes = new Map();
	const edges = [];
	nodes.set(key(x), { id: key(x), label: x.display || x.value, kind: "center", href: identHref(x) });
	const reports = (rec.reports || []).slice(0, GRAPH_REPORTS);
	const full = await Promise.all(reports.map((r) => api("GET", `/api/v1/reports/${r.report_id}`).catch(() => null)));
	reports.forEach((r, i) => {
		const rid = `r:${r.report_id}`;
		nodes.set(rid, { id: rid, label: `#${r.report_id}`, kind: "report", href: `/reports/${r.report_id}` });
		edges.push({ source: key(x), target: rid });
		for (const o of (full[i] && full[i].identifiers) || []) {
			if (o.role === "victim" || key(o) === key(x)) continue;
			if (!nodes.has(key(o))) {
				if ([...nodes.values()].filter((n) => n.kind === "ident").length >= GRAPH_IDENTS) continue;
				nodes.set(key(o), { id: key(o), label: o.display || o.value, kind: "ident", href: identHref(o) });
			}
			edges.push({ source: rid, target: key(o) });
		}
	});
	for (const b of rec.blind || []) {
		const oid = `o:${b.office_id}`;
		nodes.set(oid, { id: oid, label: `${b.office} (${b.reports})`, kind: "office" });
		edges.push({ source: key(x), target: oid });
	}
	return { nodes: [...nodes.values()], edges, truncated: (rec.reports || []).length > GRAPH_REPORTS };
}

function recordView(view, rec) {
	const x = rec.identifier;
	const graphBox = h("div", { class: "graph", id: "graph", role: "img", "aria-label": t("ident.graph_label") });
	const graphNote = h("p", { class: "hint", id: "graph-note" });
	view.append(
		pageHeader(x.display || x.value, riskBadge(x.risk)),
		section(t("ident.record"), dl([
			[t("field.identifier.type"), label("type", x.type)],
			[t("ident.canonical"), h("code", { id: "canonical" }, x.value)],
			...identDetails(x.type, x.detail),
			[t("ident.risk"), label("risk", x.risk)],
			[t("ident.report_count"), fmtNumber(x.report_count)],
			[t("ident.cases"), fmtNumber(rec.cases)],
			[t("ident.loss"), x.loss_twd ? fmtMoney(x.loss_twd) : ""],
			[t("ident.first_seen"), fmtDateTime(x.first_seen)],
			[t("ident.last_seen"), fmtDateTime(x.last_seen)],
			[t("ident.review"), x.under_review ? t("ident.under_review") : ""],
		]), watchControl(x)),
		section(t("ident.reports"), relatedReports(rec.reports),
			rec.truncated ? h("p", { class: "hint" }, t("corr.truncated")) : null,
			blindHits(rec.blind)),
		section(t("ident.graph"), graphNote, graphBox));
	return async () => {
		try {
			const g = await neighbourhood(rec);
			graphNote.textContent = t("ident.graph_note", { reports: g.nodes.filter((n) => n.kind === "report").length, idents: g.nodes.filter((n) => n.kind === "ident").length })
				+ (g.truncated ? ` ${t("ident.graph_truncated", { n: GRAPH_REPORTS })}` : "");
			const { drawGraph } = await import("../graph.js");
			drawGraph(graphBox, g, (href) => navigate(href));
		} catch (err) {
			graphBox.replaceChildren(errorBox(err));
		}
	};
}

// /identifiers/:id or /identifier?type=&value= (any accepted spelling).
export async function identifierPage(view, { params, query }) {
	if (params[0]) return recordView(view, await api("GET", `/api/v1/identifiers/${params[0]}`));
	const type = query.get("type") || "";
	const value = query.get("value") || "";
	try {
		return recordView(view, await api("GET", `/api/v1/identifiers${qs({ type, value })}`));
	} catch (err) {
		if (err.status !== 404 && err.status !== 400) throw err;
		// Never reported, or not an identifier: say which, with the canonical form when there is one.
		const parsed = await api("GET", `/api/v1/identifiers/parse${qs({ type, value })}`).catch((e) => ({ error: e }));
		if (parsed.error) {
			view.append(pageHeader(value || t("nav.identifiers")),
				h("div", { class: "alert error", role: "alert" }, t("ident.not_identifier", { reason: reasonText(parsed.error.detail) })),
				identifierSearchForm({ type, value }));
			return null;
		}
		view.append(pageHeader(parsed.display || parsed.value),
			section(t("ident.record"),
				notice(t("ident.never_reported"), "info"),
				dl([
					[t("field.identifier.type"), label("type", parsed.type)],
					[t("ident.canonical"), h("code", { id: "canonical" }, parsed.value)],
					...identDetails(parsed.type, parsed.detail),
				]),
				watchControl({ type: parsed.type, value: parsed.value })));
		return null;
	}
}

function identifierSearchForm({ type = "", value = "" } = {}) {
	const typeSel = select([["", t("ident.type_auto")], ...IDENT_TYPES.map((x) => [x, label("type", x)])], { value: type });
	const input = h("input", { value, autocomplete: "off", spellcheck: "false" });
	return h("form", { class: "card inline-form", id: "identifier-search", onsubmit: (ev) => {
		ev.preventDefault();
		if (input.value.trim()) navigate(`/identifier${qs({ type: typeSel.value, value: input.value.trim() })}`);
	} },
	field({ id: "ident-q-type", label: t("field.identifier.type"), input: typeSel }),
	field({ id: "ident-q", label: t("ident.search_label"), input, hint: t("ident.search_hint") }),
	h("button", { type: "submit", class: "primary" }, t("search.button")));
}

// /identifiers: look one up, and my watchlist.
export async function identifierSearchPage(view) {
	view.append(pageHeader(t("nav.identifiers")), identifierSearchForm());
	if (can("GET", "/api/v1/watches")) {
		const r = await api("GET", "/api/v1/watches").catch((err) => ({ error: err }));
		view.append(section(t("ident.watchlist"), r.error ? h("p", null, errorText(r.error)) : (r.items || []).length
			? h("ul", { class: "plain" }, r.items.map((w) => h("li", null, h("a", { href: `/identifiers/${w.identifier_id}` }, w.display), " ",
				badge(label("type", w.type)), " ", h("span", { class: "muted" }, t("ident.watch_counts", { n: fmtNumber(w.report_count), last: fmtDateTime(w.last_seen) || "—" })))))
			: emptyState(t("ident.watchlist_empty"))));
	}
}

// report.js - a report with its identifiers and correlations (who else has seen
// them: related reports in full, blind hits per office with "ask for access"),
// and the list of reports I may read.
import { h } from "../lib/dom.js";
import { t, tMaybe, label } from "../lib/i18n.js";
import { api, qs } from "../lib/api.js";
import { app, can, agencies, agencyName, navigate } from "../lib/app.js";
import { errorBox, notice, pageHeader, section, dl, table, badge, emptyState, field, setFieldError, download, csvLine } from "../lib/ui.js";
import { errorText } from "../lib/errors.js";
import { fmtDate, fmtDateTime, fmtMoney, fmtNumber, isoTaipei } from "../lib/format.js";
import { CRIME_TYPES } from "../lib/enums.js";

// Type-specific facts of an identifier (bank name, registrable domain, chain …) as [label, value].
export function identDetails(type, detail) {
	if (!detail) return [];
	const out = [];
	for (const [k, v] of Object.entries(detail)) {
		if (v === null || v === "" || v === false || typeof v === "object") continue;
		const name = tMaybe(`detail.${k}`);
		if (!name) continue;
		let val = v === true ? t("common.yes") : String(v);
		val = tMaybe(`detail.${k}.${v}`) ?? val;
		out.push([name, val]);
	}
	return out;
}

export function identHref(x) {
	if (x.id) return `/identifiers/${x.id}`;
	return `/identifier${qs({ type: x.type, value: x.value })}`;
}

export function riskBadge(risk) {
	if (!risk || risk === "none") return null;
	return badge(label("risk", risk), `risk-${risk}`);
}

// The "ask for access" form for one case after a blind hit.
function accessButton(caseId, office) {
	if (!can("POST", "/api/v1/cases/{id}/access-requests")) return null;
	const wrap = h("div", { class: "access" });
	const open = h("button", { type: "button", class: "small ask-access", dataset: { case: String(caseId) }, onclick: () => {
		const reason = h("textarea", { rows: "2", maxlength: "2000" });
		const send = h("button", { type: "submit", class: "small primary" }, t("access.send"));
		const form = h("form", { class: "access-form", onsubmit: async (ev) => {
			ev.preventDefault();
			if (!reason.value.trim()) { setFieldError(reason, t("error.required")); reason.focus(); return; }
			send.disabled = true;
			try {
				await api("POST", `/api/v1/cases/${caseId}/access-requests`, { reason: reason.value.trim() });
				wrap.replaceChildren(notice(t("access.sent", { office })));
			} catch (err) {
				send.disabled = false;
				if (err.status === 409) wrap.replaceChildren(notice(t("access.pending"), "info"));
				else setFieldError(reason, errorText(err));
			}
		} }, field({ id: `access-reason-${caseId}-${Math.random().toString(36).slice(2, 7)}`, label: t("access.reason"), input: reason, hint: t("access.reason_hint") }), send);
		wrap.replaceChildren(form);
		reason.focus();
	} }, t("access.ask", { n: caseId }));
	wrap.append(open);
	return wrap;
}

// Blind hits: reports the caller may not read, counted per owning office (偵查不公開).
export function blindHits(blind) {
	if (!blind || !blind.length) return null;
	return h("div", { class: "blind" },
		h("h4", null, t("corr.blind_title")),
		h("p", { class: "hint" }, t("corr.blind_hint")),
		h("ul", null, blind.map((b) => h("li", null,
			h("strong", null, b.office), " ",
			t("corr.blind_counts", { reports: fmtNumber(b.reports), cases: fmtNumber(b.cases) }),
			(b.case_ids || []).map((id) => accessButton(id, b.office))))));
}

export function relatedReports(reports) {
	return table([
		{ label: t("report.id"), cell: (r) => h("a", { href: `/reports/${r.report_id}` }, `#${r.report_id}`) },
		{ label: t("field.reported_at"), cell: (r) => fmtDate(r.reported_at) },
		{ label: t("field.crime_type"), cell: (r) => label("crime", r.crime_type) },
		{ label: t("field.identifier.role"), cell: (r) => label("role_ident", r.role) },
		{ label: t("case.case"), cell: (r) => (r.case ? h("a", { href: `/cases/${r.case.id}` }, r.case.number) : "") },
	], reports || [], { empty: t("corr.no_readable") });
}

export function correlationsView(c) {
	if (!c || !c.items || !c.items.length || !c.shared_identifiers) {
		return h("div", { class: "correlations", id: "correlations" }, emptyState(t("corr.none")));
	}
	return h("div", { class: "correlations", id: "correlations" },
		h("p", { class: "lead" }, t("corr.summary", { ids: fmtNumber(c.shared_identifiers), reports: fmtNumber(c.related_reports) })),
		c.items.map((it) => {
			const x = it.identifier;
			return h("article", { class: "corr-item" },
				h("h3", null, h("a", { href: identHref(x), class: "ident-link" }, x.display || x.value), " ",
					badge(label("type", x.type)), " ", riskBadge(x.risk)),
				h("p", null, t("corr.item_counts", { role: label("role_ident", it.role), reports: fmtNumber(it.other_reports), cases: fmtNumber(it.cases) }),
					x.loss_twd ? ` · ${t("corr.loss_total", { loss: fmtMoney(x.loss_twd) })}` : ""),
				it.note ? h("p", { class: "hint" }, it.note) : null,
				x.under_review ? h("p", { class: "hint" }, t("ident.under_review")) : null,
				it.reports && it.reports.length ? relatedReports(it.reports) : null,
				blindHits(it.blind),
				it.truncated ? h("p", { class: "hint" }, t("corr.truncated")) : null);
		}));
}

export function identTable(identifiers) {
	return table([
		{ label: t("field.identifier.type"), cell: (x) => label("type", x.type) },
		{ label: t("field.identifier.value"), cell: (x) => h("a", { href: identHref(x) }, x.display || x.value) },
		{ label: t("field.identifier.role"), cell: (x) => label("role_ident", x.role) },
		{ label: t("ident.details"), cell: (x) => identDetails(x.type, x.detail).map(([k, v]) => `${k}：${v}`).join(" · ") },
	], identifiers || [], { empty: t("report.no_identifiers") });
}

export async function reportPage(view, { params }) {
	const id = Number(params[0]);
	const saved = app.lastSaved && app.lastSaved.report.id === id ? app.lastSaved : null;
	app.lastSaved = null;
	const [r, corr, agencyMap] = await Promise.all([
		saved ? saved.report : api("GET", `/api/v1/reports/${id}`),
		saved ? saved.correlations : api("GET", `/api/v1/reports/${id}/correlations`).catch((err) => ({ error: err })),
		agencies().catch(() => new Map()),
	]);
	const loss = r.loss || {};
	view.append(pageHeader(t("report.title", { id: r.id })),
		section(t("report.section_basic"), dl([
			[t("field.agency_id"), agencyName(agencyMap.get(r.agency_id)) || String(r.agency_id)],
			[t("field.channel"), label("channel", r.channel)],
			[t("field.crime_type"), label("crime", r.crime_type)],
			[t("field.occurred_at"), fmtDateTime(r.occurred_at)],
			[t("field.reported_at"), fmtDateTime(r.reported_at)],
			[t("field.loss.twd"), loss.twd != null ? fmtMoney(loss.twd) : ""],
			[t("field.loss.amount"), loss.currency ? `${loss.amount || ""} ${loss.currency}` : ""],
			[t("field.payment_method"), label("payment", r.payment_method)],
			[t("field.victim.kind"), r.victim ? label("victim", r.victim.kind) : ""],
			[t("field.victim.sector"), r.victim && r.victim.sector],
			[t("field.source_ref"), r.source_ref],
			[t("case.case"), r.case_id ? h("a", { href: `/cases/${r.case_id}` }, t("case.title_n", { id: r.case_id })) : ""],
			[t("report.duplicate_of"), r.duplicate_of ? h("a", { href: `/reports/${r.duplicate_of}` }, `#${r.duplicate_of}`) : ""],
		])),
		r.narrative ? section(t("field.narrative"), h("p", { class: "narrative" }, r.narrative)) : null,
		section(t("report.section_identifiers"), identTable(r.identifiers)),
		section(t("corr.title"), corr && corr.error ? errorBox(corr.error) : correlationsView(corr)),
		saved && saved.extracted && saved.extracted.length ? section(t("report.extracted_after"),
			h("p", { class: "hint" }, t("report.extracted_after_hint")),
			h("ul", null, saved.extracted.map((e) => h("li", null, badge(label("type", e.type)), " ",
				h("a", { href: identHref(e) }, e.display || e.value), " ", h("span", { class: "muted" }, `「${e.text}」`))))) : null);
}

// Reports I may read, newest first, a page at a time (before_id).
export async function reportListPage(view, { query }) {
	const crime = query.get("crime_type") || "";
	const before = query.get("before_id") || "";
	const r = await api("GET", `/api/v1/reports${qs({ crime_type: crime, before_id: before, limit: 50 })}`);
	const agencyMap = await agencies().catch(() => new Map());
	const items = r.items || [];
	const filter = h("form", { class: "filters", method: "get", action: "/reports" },
		h("label", { for: "f-crime" }, t("field.crime_type")),
		h("select", { id: "f-crime", name: "crime_type", value: crime, onchange: (ev) => ev.target.form.requestSubmit() },
			h("option", { value: "" }, t("common.all")), CRIME_TYPES.map((c) => h("option", { value: c }, label("crime", c)))),
		h("noscript", null, h("button", { type: "submit" }, t("common.filter"))));
	filter.addEventListener("submit", (ev) => {
		ev.preventDefault();
		const sel = filter.querySelector("select").value;
		navigate(`/reports${qs({ crime_type: sel })}`);
	});
	const exportBtn = h("button", { type: "button", onclick: () => {
		const lines = [csvLine(["id", "reported_at", "agency", "channel", "crime_type", "loss_twd", "case_id", "duplicate_of"])];
		for (const x of items) lines.push(csvLine([x.id, isoTaipei(x.reported_at), x.agency || "", x.channel, x.crime_type, x.loss_twd, x.case_id ?? "", x.duplicate_of ?? ""]));
		download(`rootcut-reports-${isoTaipei(new Date()).slice(0, 10)}.csv`, `${lines.join("\r\n")}\r\n`);
	} }, t("common.export_csv"));
	const last = items.length ? items[items.length - 1].id : null;
	view.append(pageHeader(t("nav.reports"), can("POST", "/api/v1/reports") ? h("a", { class: "button primary", href: "/reports/new" }, t("nav.report_new")) : null, items.length ? exportBtn : null),
		h("section", { class: "card" }, filter, reportsTable(items, agencyMap),
			h("p", { class: "pager" },
				before ? h("a", { href: `/reports${qs({ crime_type: crime })}` }, t("common.newest")) : null, " ",
				items.length === 50 && last ? h("a", { href: `/reports${qs({ crime_type: crime, before_id: last })}` }, t("common.older")) : null)));
}

export function reportsTable(items, agencyMap) {
	return table([
		{ label: t("report.id"), cell: (x) => h("a", { href: `/reports/${x.id}` }, `#${x.id}`) },
		{ label: t("field.reported_at"), cell: (x) => fmtDateTime(x.reported_at) },
		{ label: t("field.agency_id"), cell: (x) => agencyName(agencyMap && agencyMap.get(x.agency_id)) || x.agency || "" },
		{ label: t("field.channel"), cell: (x) => label("channel", x.channel) },
		{ label: t("field.crime_type"), cell: (x) => label("crime", x.crime_type) },
		{ label: t("field.loss.twd"), cell: (x) => fmtMoney(x.loss_twd), className: "num" },
		{ label: t("case.case"), cell: (x) => (x.case_id ? h("a", { href: `/cases/${x.case_id}` }, `#${x.case_id}`) : "") },
		{ label: t("report.duplicate_of"), cell: (x) => (x.duplicate_of ? h("a", { href: `/reports/${x.duplicate_of}` }, `#${x.duplicate_of}`) : "") },
	], items, { empty: t("report.none") });
}

// orders.js - court orders of domain seizure (域名扣押): the list by state, a
// new draft (domains pasted one per line; each refusal shown beside its
// domain), and one order with its domains, its history as a timeline, the
// verification results stored with it, and the steps the policy allows:
// file, grant, enforce, lift, lift one domain (GET/POST /api/v1/orders…).
import "./rpz.css";
import { h } from "../lib/dom.js";
import { t, label, getLang } from "../lib/i18n.js";
import { api, qs } from "../lib/api.js";
import { can, agencies, agencyName, navigate, renderRoute, flash } from "../lib/app.js";
import { pageHeader, section, dl, table, badge, emptyState, errorBox, field, select, setFieldError, clearFieldErrors } from "../lib/ui.js";
import { errorText, reasonText } from "../lib/errors.js";
import { fmtDate, fmtDateTime, fmtNumber, rocOfLocal } from "../lib/format.js";
import { confirmDialog } from "../lib/dialog.js";

export const ORDER_STATES = ["draft", "filed", "granted", "enforced", "lifted", "expired"];
const ACTIONS = ["nxdomain", "nodata", "redirect"];

export function stateBadge(state) {
	return badge(label("order_state", state), `order-${state}`);
}

// A server reason for a refused domain, in the user's language.
export function domainReason(message) {
	const ip = /'([^']*)' is an IP address, not a domain/.exec(message || "");
	if (ip) return getLang() === "en" ? `${ip[1]} is an IP address, not a domain` : t("order.reason_ip", { value: ip[1] });
	return reasonText(message);
}

function caseCell(c) {
	if (!c) return "";
	if (c.restricted) return h("span", { class: "muted" }, t("order.case_restricted"));
	return h("a", { href: `/cases/${c.id}`, class: "nowrap" }, c.number);
}

function actionText(o) {
	const a = label("order_action", o.action);
	return o.action === "redirect" && o.redirect ? `${a} → ${o.redirect}` : a;
}

function zoneName(z) {
	return (z || "").replace(/\.$/, "");
}

// ---- the list ---------------------------------------------------------------

export async function orderListPage(view, { query }) {
	const state = query.get("state") || "";
	const [r, agencyMap] = await Promise.all([api("GET", `/api/v1/orders${qs({ state })}`), agencies().catch(() => new Map())]);
	const items = r.items || [];
	const filter = h("form", { class: "filters", onsubmit: (ev) => ev.preventDefault() },
		h("label", { for: "f-order-state" }, t("order.state")),
		h("select", { id: "f-order-state", value: state, onchange: (ev) => navigate(`/orders${qs({ state: ev.target.value })}`) },
			h("option", { value: "" }, t("common.all")), ORDER_STATES.map((s) => h("option", { value: s }, label("order_state", s)))));
	const newButton = can("POST", "/api/v1/orders") ? h("a", { class: "button primary", href: "/orders/new", id: "order-new" }, t("order.new")) : null;
	const rows = table([
		{ label: t("order.id"), cell: (o) => h("a", { href: `/orders/${o.id}`, class: "nowrap order-link", dataset: { id: o.id } }, t("order.title_n", { id: o.id })) },
		{ label: t("order.state"), cell: (o) => stateBadge(o.state) },
		{ label: t("order.court"), cell: (o) => o.court || h("span", { class: "muted" }, t("order.not_yet")) },
		{ label: t("order.number"), cell: (o) => o.order_number || h("span", { class: "muted" }, t("order.not_yet")) },
		{ label: t("order.domains"), cell: (o) => (o.lifted ? t("order.domains_lifted", { n: fmtNumber(o.domains), lifted: fmtNumber(o.lifted) }) : fmtNumber(o.domains)), className: "num" },
		{ label: t("order.action"), cell: actionText },
		{ label: t("order.zone"), cell: (o) => h("code", null, zoneName(o.zone)) },
		{ label: t("order.starts"), cell: (o) => (o.starts_at ? fmtDate(o.starts_at) : t("order.starts_default")), className: "nowrap" },
		{ label: t("order.expires"), cell: (o) => (o.expires_at ? fmtDate(o.expires_at) : t("order.expires_never")), className: "nowrap" },
		{ label: t("order.case"), cell: (o) => caseCell(o.case) },
		{ label: t("order.agency"), cell: (o) => agencyName(agencyMap.get(o.agency_id)) },
	], items, { caption: t("order.list_caption"), empty: state ? t("order.none_in_state", { state: label("order_state", state) }) : t("order.none") });
	view.append(pageHeader(t("nav.orders"), newButton),
		h("p", { class: "lead" }, t("order.list_lead")),
		h("section", { class: "card", id: "order-list" }, filter, rows));
}

// ---- a new draft ------------------------------------------------------------

// The non-empty lines of the domains box: [{ line, value }] (line counts from 1).
function domainLines(text) {
	return text.split(/\r?\n/).map((value, i) => ({ line: i + 1, value: value.trim() })).filter((d) => d.value);
}

// A datetime-local input with its ROC reading under it.
function whenInput(id) {
	const input = h("input", { type: "datetime-local", id });
	const roc = h("p", { class: "roc", "aria-live": "polite" });
	input.addEventListener("input", () => { roc.textContent = rocOfLocal(input.value); });
	return { input, roc };
}

export async function orderNewPage(view) {
	const [cases, zones] = await Promise.all([
		can("GET", "/api/v1/cases") ? api("GET", "/api/v1/cases").then((r) => r.items || []).catch(() => []) : [],
		api("GET", "/api/v1/rpz/zones").then((r) => r.items || []).catch(() => []),
	]);
	const court = h("input", { maxlength: "126", autocomplete: "off", list: "court-names" });
	const courts = h("datalist", { id: "court-names" }, ["臺灣臺北地方法院", "臺灣新北地方法院", "臺灣士林地方法院", "臺灣桃園地方法院",
		"臺灣臺中地方法院", "臺灣臺南地方法院", "臺灣高雄地方法院"].map((c) => h("option", { value: c })));
	const caseSel = select([["", t("order.no_case")], ...cases.map((c) => [String(c.id), `${c.number}${c.title ? ` ${c.title}` : ""}`])], {});
	const action = select(ACTIONS.map((a) => [a, label("order_action", a)]), {});
	const redirect = h("input", { autocomplete: "off", spellcheck: "false", placeholder: "192.0.2.80, 2001:db8::80" });
	const redirectRow = field({ id: "order-redirect", label: t("order.redirect"), input: redirect, hint: t("order.redirect_hint") });
	redirectRow.hidden = true;
	action.addEventListener("change", () => { redirectRow.hidden = action.value !== "redirect"; });
	const subdomains = h("input", { type: "checkbox", checked: true });
	const zone = zones.length > 1 ? select(zones.map((z) => [z.name, zoneName(z.name)]), {}) : null;
	const starts = whenInput("order-starts");
	const expires = whenInput("order-expires");
	const note = h("textarea", { rows: "2", maxlength: "1000" });
	const domains = h("textarea", { rows: "8", spellcheck: "false", autocapitalize: "none", class: "domains-box" });
	const check = h("ol", { class: "domain-check", id: "domain-check", "aria-label": t("order.domain_check") });
	check.hidden = true;
	const status = h("div", { class: "form-status", role: "alert" });
	const submit = h("button", { type: "submit", class: "primary", id: "order-save" }, t("order.save_draft"));
	const inputs = { court, case_id: caseSel, action, redirect, zone, starts_at: starts.input, expires_at: expires.input, note, domains };

	// Each refused domain beside its line, with a button that takes the line out.
	function showRefusals(lines, errors) {
		const byIndex = new Map(errors.map((e) => [e.index, e]));
		check.replaceChildren(...lines.map((d, i) => {
			const e = byIndex.get(i);
			const li = h("li", { dataset: { index: i, state: e ? "bad" : "ok" }, class: e ? "bad" : "ok" },
				h("code", { class: "domain-raw" }, d.value), " ",
				e ? h("span", { class: "field-error", id: `domain-error-${i}` }, t("order.domain_refused", { line: d.line, reason: domainReason(e.message) }))
					: h("span", { class: "muted" }, t("order.domain_ok")));
			if (e) li.append(" ", h("button", { type: "button", class: "small remove-line", "aria-label": t("order.remove_line_named", { value: d.value }), onclick: () => {
				const all = domains.value.split(/\r?\n/);
				all.splice(d.line - 1, 1);
				domains.value = all.join("\n");
				li.remove();
				if (!check.querySelector("li.bad")) { check.hidden = true; setFieldError(domains, ""); }
				domains.focus();
			} }, t("order.remove_line")));
			return li;
		}));
		check.hidden = false;
		setFieldError(domains, t("order.domains_refused", { n: errors.length }));
	}

	const form = h("form", { id: "order-form", class: "card", novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		clearFieldErrors(form);
		status.replaceChildren();
		check.hidden = true;
		const lines = domainLines(domains.value);
		if (!lines.length) { setFieldError(domains, t("order.domains_required")); domains.focus(); return; }
		const body = { court: court.value.trim(), action: action.value, subdomains: subdomains.checked, domains: lines.map((d) => d.value) };
		if (caseSel.value) body.case_id = Number(caseSel.value);
		if (action.value === "redirect" && redirect.value.trim()) body.redirect = redirect.value.trim();
		if (zone) body.zone = zone.value;
		if (starts.input.value) body.starts_at = starts.input.value;
		if (expires.input.value) body.expires_at = expires.input.value;
		if (note.value.trim()) body.note = note.value.trim();
		submit.disabled = true;
		try {
			const o = await api("POST", "/api/v1/orders", body);
			flash(t("order.created", { id: o.id, n: fmtNumber(o.domains) }));
			await navigate(`/orders/${o.id}`);
		} catch (err) {
			submit.disabled = false;
			if (err.body && Array.isArray(err.body.errors) && err.body.errors.length) {
				showRefusals(lines, err.body.errors);
				domains.focus();
				return;
			}
			const m = /^domains\[(\d+)\]$/.exec(err.field || "");
			if (m) { showRefusals(lines, [{ index: Number(m[1]), message: err.detail }]); domains.focus(); return; }
			const input = inputs[err.field];
			if (input) { setFieldError(input, errorText(err)); input.focus(); } else status.replaceChildren(errorBox(err));
		}
	} },
	h("div", { class: "grid" },
		field({ id: "order-court", label: t("order.court"), input: court, hint: t("order.court_hint") }),
		field({ id: "order-case", label: t("order.case"), input: caseSel, hint: t("order.case_hint") }),
		field({ id: "order-action", label: t("order.action"), input: action, hint: t("order.action_hint") }),
		redirectRow,
		zone ? field({ id: "order-zone", label: t("order.zone"), input: zone }) : null,
		h("div", { class: "field" },
			h("label", { for: "order-starts" }, t("order.starts")), starts.input,
			h("p", { class: "hint", id: "order-starts-hint" }, t("order.starts_hint")), starts.roc,
			h("p", { class: "field-error", id: "order-starts-error", "aria-live": "polite" })),
		h("div", { class: "field" },
			h("label", { for: "order-expires" }, t("order.expires")), expires.input,
			h("p", { class: "hint", id: "order-expires-hint" }, t("order.expires_hint")), expires.roc,
			h("p", { class: "field-error", id: "order-expires-error", "aria-live": "polite" }))),
	h("div", { class: "field checkbox" }, h("label", null, subdomains, " ", t("order.subdomains")),
		h("p", { class: "hint" }, t("order.subdomains_hint"))),
	field({ id: "order-domains", label: t("order.domains_box"), input: domains, hint: t("order.domains_hint"), required: true }),
	check,
	field({ id: "order-note", label: t("order.note"), input: note }),
	courts, status, h("div", { class: "form-actions" }, submit, h("a", { href: "/orders" }, t("common.cancel"))));
	starts.input.setAttribute("aria-describedby", "order-starts-hint order-starts-error");
	expires.input.setAttribute("aria-describedby", "order-expires-hint order-expires-error");
	view.append(pageHeader(t("order.new")), h("p", { class: "lead" }, t("order.new_lead")), form);
	return () => court.focus();
}

// ---- one order --------------------------------------------------------------

function eventText(e) {
	const d = e.detail || "";
	switch (e.action) {
	case "create": return t("order.ev_create", { zone: zoneName(d) });
	case "domains": {
		const m = /^(\d+) added, (\d+) refused$/.exec(d);
		return m ? t("order.ev_domains", { added: m[1], refused: m[2] }) : t("order.ev_domains_plain");
	}
	case "file": return t("order.ev_file");
	case "grant": return t("order.ev_grant", { detail: d.replace(/(\d{4}-\d{2}-\d{2})$/, (iso) => fmtDate(iso)) });
	case "enforce": return d === "published at starts_at" ? t("order.ev_enforce_later") : t("order.ev_enforce");
	case "publish": return t("order.ev_publish");
	case "lift": return t("order.ev_lift", { reason: d });
	case "lift_domain": {
		const m = /^([^:]+): (.*)$/s.exec(d);
		return m ? t("order.ev_lift_domain", { domain: m[1], reason: m[2] }) : t("order.ev_lift_domain", { domain: d, reason: "" });
	}
	case "expire": return t("order.ev_expire");
	default: return `${e.action} ${d}`;
	}
}

function timeline(events) {
	if (!events.length) return emptyState(t("order.no_events"));
	return h("ol", { class: "timeline", id: "order-timeline" }, events.map((e) => h("li", { dataset: { action: e.action } },
		h("time", { datetime: e.at }, fmtDateTime(e.at)), " ", eventText(e),
		e.from && e.to && e.from !== e.to ? h("span", { class: "muted" }, ` (${label("order_state", e.from)} → ${label("order_state", e.to)})`) : null,
		e.actor ? h("span", { class: "muted" }, ` · ${e.actor}`) : null)));
}

async function reload(text) {
	flash(text);
	await renderRoute({ focus: false });
}

// A button for one step: asks to confirm first when confirmSpec is given.
function stepButton({ id, text, className = "", run, confirmSpec }) {
	const out = h("div", { class: "step-status", role: "alert" });
	const b = h("button", { type: "button", id, class: className, onclick: async () => {
		out.replaceChildren();
		let reason = "";
		if (confirmSpec) {
			const ok = await confirmDialog(confirmSpec);
			if (!ok) return;
			reason = ok.reason;
		}
		b.disabled = true;
		try {
			await run(reason);
		} catch (err) {
			b.disabled = false;
			out.replaceChildren(errorBox(err));
		}
	} }, text);
	return h("div", { class: "step" }, b, out);
}

// A ruling date as typed (113/05/01, 2024-05-01, 民國113年5月1日) in the other calendar.
function rulingDatePreview(s) {
	const v = (s || "").trim().replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
	let m = /^(?:民國)?\s*(\d{2,3})\s*(?:[/.-]|年)\s*(\d{1,2})\s*(?:[/.-]|月)\s*(\d{1,2})\s*日?$/.exec(v);
	let y;
	if (m && +m[1] < 1000) y = +m[1] + 1911;
	else {
		m = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(v);
		if (!m) return "";
		y = +m[1];
	}
	const mo = +m[2], d = +m[3];
	if (mo < 1 || mo > 12 || d < 1 || d > 31) return "";
	return rocOfLocal(`${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
}

function grantForm(o) {
	const court = h("input", { value: o.court || "", maxlength: "126", autocomplete: "off" });
	const number = h("input", { autocomplete: "off", placeholder: "115年度聲扣字第12號" });
	const date = h("input", { autocomplete: "off", placeholder: "115/11/22" });
	const preview = h("p", { class: "roc", "aria-live": "polite" });
	date.addEventListener("input", () => { preview.textContent = rulingDatePreview(date.value); });
	const status = h("div", { class: "form-status", role: "alert" });
	const inputs = { court, order_number: number, order_date: date };
	const submit = h("button", { type: "submit", class: "primary" }, t("order.grant"));
	const form = h("form", { id: "grant-form", class: "edit-form", novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		clearFieldErrors(form);
		status.replaceChildren();
		let bad = false;
		if (!number.value.trim()) { setFieldError(number, t("error.required")); bad = true; }
		if (!date.value.trim()) { setFieldError(date, t("error.required")); bad = true; }
		if (bad) { form.querySelector("[aria-invalid]").focus(); return; }
		submit.disabled = true;
		try {
			const body = { order_number: number.value.trim(), order_date: date.value.trim() };
			if (court.value.trim()) body.court = court.value.trim();
			await api("POST", `/api/v1/orders/${o.id}/grant`, body);
			await reload(t("order.granted_note"));
		} catch (err) {
			submit.disabled = false;
			const input = inputs[err.field];
			if (input) { setFieldError(input, errorText(err)); input.focus(); } else status.replaceChildren(errorBox(err));
		}
	} },
	h("h3", null, t("order.grant_title")),
	h("div", { class: "grid" },
		field({ id: "grant-court", label: t("order.court"), input: court }),
		field({ id: "grant-number", label: t("order.number"), input: number, required: true }),
		h("div", null, field({ id: "grant-date", label: t("order.date"), input: date, hint: t("order.date_hint"), required: true }), preview)),
	status, submit);
	return form;
}

function domainsTable(o, mayLiftDomain) {
	const rows = o.domain_list || [];
	const cols = [
		{ label: t("order.domain"), cell: (d) => [h("span", { class: "domain-name" }, d.unicode && d.unicode !== d.domain ? d.unicode : d.domain),
			d.unicode && d.unicode !== d.domain ? h("span", { class: "muted" }, ` (${d.domain})`) : null] },
		{ label: t("order.domain_raw"), cell: (d) => (d.raw && d.raw !== d.domain ? h("code", null, d.raw) : "") },
		{ label: t("order.domain_state"), cell: (d) => (d.lifted_at
			? [badge(t("order.domain_lifted"), "order-lifted"), h("span", { class: "lift-note" }, " ", t("order.domain_lifted_detail", { at: fmtDateTime(d.lifted_at), by: d.lifted_by, reason: d.lift_reason }))]
			: badge(t(o.state === "enforced" ? "order.domain_blocked" : "order.domain_listed"), o.state === "enforced" ? "order-enforced" : "")) },
		{ label: t("order.identifier"), cell: (d) => (d.identifier_id ? h("a", { href: `/identifiers/${d.identifier_id}` }, t("order.identifier_open")) : "") },
	];
	if (mayLiftDomain) cols.push({ label: t("order.actions"), cell: (d) => (d.lifted_at ? "" : stepButton({
		id: `lift-domain-${d.domain.replace(/[^a-z0-9-]/gi, "_")}`, className: "small lift-domain", text: t("order.lift_domain"),
		confirmSpec: { id: "lift-domain-dialog", title: t("order.lift_domain_title", { domain: d.unicode || d.domain }), text: t("order.lift_domain_text"),
			confirm: t("order.lift_domain_confirm"), reason: true, reasonLabel: t("order.reason"), reasonHint: t("order.lift_domain_hint"), danger: true },
		run: async (reason) => {
			await api("POST", `/api/v1/orders/${o.id}/lift-domain`, { domain: d.domain, reason });
			await reload(t("order.domain_lifted_note", { domain: d.unicode || d.domain }));
		},
	})) });
	return table(cols, rows, { caption: t("order.domains_caption", { n: fmtNumber(o.domains) }), empty: t("order.no_domains") });
}

function verificationsTable(items) {
	return table([
		{ label: t("zone.checked_at"), cell: (v) => fmtDateTime(v.checked_at), className: "nowrap" },
		{ label: t("zone.resolver"), cell: (v) => h("code", null, v.resolver) },
		{ label: t("zone.serial"), cell: (v) => fmtNumber(v.serial), className: "num" },
		{ label: t("order.domain"), cell: (v) => v.name },
		{ label: t("zone.blocked"), cell: (v) => (v.blocked ? badge(t("zone.is_blocked"), "order-enforced") : badge(t("zone.not_blocked"), "order-warn")) },
		{ label: t("zone.answer"), cell: (v) => h("code", null, v.answer) },
	], items, { caption: t("order.verifications_caption"), empty: t("order.no_verifications") });
}

export async function orderPage(view, { params }) {
	const id = Number(params[0]);
	let o;
	try {
		o = await api("GET", `/api/v1/orders/${id}`);
	} catch (err) {
		if (err.status === 404 || err.status === 403) {
			view.append(pageHeader(t("order.title_n", { id })), h("div", { class: "alert error", role: "alert", id: "order-denied" }, t("order.not_visible")));
			return null;
		}
		throw err;
	}
	const agencyMap = await agencies().catch(() => new Map());
	const active = o.state === "granted" || o.state === "enforced";
	const steps = [];
	if (o.state === "draft" && can("POST", "/api/v1/orders/{id}/file")) steps.push(stepButton({
		id: "order-file", className: "primary", text: t("order.file"),
		confirmSpec: { id: "file-dialog", title: t("order.file_title"), text: t("order.file_text", { n: fmtNumber(o.domains) }), confirm: t("order.file") },
		run: async () => { await api("POST", `/api/v1/orders/${id}/file`); await reload(t("order.filed_note")); },
	}));
	if (o.state === "filed" && can("POST", "/api/v1/orders/{id}/grant")) steps.push(grantForm(o));
	if (o.state === "granted" && can("POST", "/api/v1/orders/{id}/enforce")) steps.push(stepButton({
		id: "order-enforce", className: "primary", text: t("order.enforce"),
		confirmSpec: { id: "enforce-dialog", title: t("order.enforce_title"), text: t("order.enforce_text", { n: fmtNumber(o.domains - o.lifted), zone: zoneName(o.zone) }), confirm: t("order.enforce"), danger: true },
		run: async () => { await api("POST", `/api/v1/orders/${id}/enforce`); await reload(t("order.enforced_note")); },
	}));
	if (active && can("POST", "/api/v1/orders/{id}/lift")) steps.push(stepButton({
		id: "order-lift", className: "danger", text: t("order.lift"),
		confirmSpec: { id: "lift-dialog", title: t("order.lift_title"), text: t("order.lift_text"), confirm: t("order.lift_confirm"),
			reason: true, reasonLabel: t("order.reason"), reasonHint: t("order.lift_hint"), danger: true },
		run: async (reason) => { await api("POST", `/api/v1/orders/${id}/lift`, { reason }); await reload(t("order.lifted_note")); },
	}));
	const mayLiftDomain = active && can("POST", "/api/v1/orders/{id}/lift-domain");
	const waiting = !steps.length && !["lifted", "expired"].includes(o.state) ? t(`order.waiting_${o.state}`) : "";
	view.append(pageHeader(o.order_number ? t("order.title_number", { id, number: o.order_number }) : t("order.title_n", { id }), stateBadge(o.state)),
		section(t("order.details"), dl([
			[t("order.state"), stateBadge(o.state)],
			[t("order.court"), o.court || t("order.not_yet")],
			[t("order.number"), o.order_number || t("order.not_yet")],
			[t("order.date"), o.order_date ? fmtDate(o.order_date) : t("order.not_yet")],
			[t("order.case"), o.case ? caseCell(o.case) : t("order.no_case")],
			[t("order.agency"), agencyName(agencyMap.get(o.agency_id))],
			[t("order.action"), actionText(o)],
			[t("order.subdomains_short"), o.subdomains ? t("common.yes") : t("common.no")],
			[t("order.zone"), h("code", null, zoneName(o.zone))],
			[t("order.starts"), o.starts_at ? fmtDateTime(o.starts_at) : t("order.starts_default")],
			[t("order.expires"), o.expires_at ? fmtDateTime(o.expires_at) : t("order.expires_never")],
			[t("order.created_at"), fmtDateTime(o.created_at)],
			[t("order.updated"), fmtDateTime(o.updated_at)],
			[t("order.note"), o.note],
		])),
		steps.length || waiting ? section(t("order.steps"), h("div", { id: "order-steps" }, steps, waiting ? h("p", { class: "hint" }, waiting) : null)) : null,
		section(t("order.domains"), h("div", { id: "order-domains" }, domainsTable(o, mayLiftDomain),
			(o.domain_list || []).length < o.domains ? h("p", { class: "hint" }, t("order.domains_partial", { n: fmtNumber((o.domain_list || []).length) })) : null)),
		section(t("order.timeline"), timeline(o.history || [])),
		section(t("order.verifications"), h("div", { id: "order-verifications" }, verificationsTable(o.verifications || []),
			h("p", { class: "hint" }, t("order.verifications_hint")))));
	return null;
}

// report-new.js - the report intake form: every field of ReportInput, identifier
// rows checked live by the server's own rules (GET /api/v1/identifiers/parse),
// "find identifiers" in the narrative (POST /api/v1/identifiers/extract), and on
// save the report page with the correlations the server returned.
import { h, debounce } from "../lib/dom.js";
import { t, label } from "../lib/i18n.js";
import { api, qs } from "../lib/api.js";
import { app, can, reachOf, agencies, agencyName, navigate, flash } from "../lib/app.js";
import { field, setFieldError, clearFieldErrors, errorBox, select, pageHeader, section, emptyState } from "../lib/ui.js";
import { errorText, reasonText } from "../lib/errors.js";
import { rocOfLocal } from "../lib/format.js";
import { IDENT_TYPES, IDENT_ROLES, CRIME_TYPES, PAYMENT_METHODS, VICTIM_KINDS, CHANNELS, DEFAULT_ROLE } from "../lib/enums.js";
import { identDetails } from "./report.js";

let rowSeq = 0;

// One identifier row: type (or detect), value, role; the value is checked as typed.
function identRow(list, initial = {}) {
	const n = ++rowSeq;
	const type = select([["", t("ident.type_auto")], ...IDENT_TYPES.map((x) => [x, label("type", x)])], { class: "ident-type", value: initial.type || "" });
	const value = h("input", { class: "ident-value", autocomplete: "off", spellcheck: "false", value: initial.value || "" });
	const role = select(IDENT_ROLES.map((x) => [x, label("role_ident", x)]), { class: "ident-role", value: initial.role || "caller" });
	const result = h("p", { class: "ident-result", id: `ident-${n}-result`, "aria-live": "polite" });
	let roleTouched = Boolean(initial.role);
	let seq = 0;
	let checked = null; // the type and value last sent to the server
	const row = h("fieldset", { class: "ident-row", dataset: { row: String(n) } },
		h("legend", { class: "sr-only" }, t("report.ident_n", { n: list.children.length + 1 })),
		field({ id: `ident-${n}-type`, label: t("field.identifier.type"), input: type, className: "f-type" }),
		field({ id: `ident-${n}-value`, label: t("field.identifier.value"), input: value, className: "f-value" }),
		field({ id: `ident-${n}-role`, label: t("field.identifier.role"), input: role, className: "f-role" }),
		h("button", { type: "button", class: "remove small", "aria-label": t("report.remove_ident", { n }), onclick: () => {
			row.remove();
			list.dispatchEvent(new Event("rows"));
		} }, t("common.remove")),
		result);
	value.setAttribute("aria-describedby", `${value.getAttribute("aria-describedby")} ${result.id}`);
	row.inputs = { type, value, role };
	row.parsed = null;
	const check = async ({ again = true } = {}) => {
		const v = value.value.trim();
		if (!again && checked === `${type.value}\n${v}`) return;
		checked = `${type.value}\n${v}`;
		const mine = ++seq;
		row.parsed = null;
		if (!v) { setFieldError(value, ""); result.replaceChildren(); row.dataset.state = ""; return; }
		row.dataset.state = "checking";
		try {
			const r = await api("GET", `/api/v1/identifiers/parse${qs({ type: type.value, value: v })}`);
			if (mine !== seq) return;
			row.parsed = r;
			row.dataset.state = "ok";
			setFieldError(value, "");
			if (!roleTouched && DEFAULT_ROLE[r.type]) role.value = DEFAULT_ROLE[r.type];
			const details = identDetails(r.type, r.detail);
			result.replaceChildren(h("span", { class: "ok-mark", "aria-hidden": "true" }, "✓ "),
				t("report.ident_ok", { type: label("type", r.type) }), " ",
				h("strong", { class: "canonical" }, r.display || r.value),
				r.display && r.display !== r.value ? h("span", { class: "muted" }, ` (${r.value})`) : null,
				details.length ? h("span", { class: "muted" }, ` · ${details.map(([k, val]) => `${k}：${val}`).join(" · ")}`) : null);
		} catch (err) {
			if (mine !== seq) return;
			row.dataset.state = "bad";
			result.replaceChildren();
			row.error = err.status === 400 ? reasonText(err.detail) : errorText(err);
			setFieldError(value, row.error);
		}
	};
	row.check = check;
	const later = debounce(check, 300);
	value.addEventListener("input", later);
	value.addEventListener("blur", () => check({ again: false }));
	type.addEventListener("change", check);
	role.addEventListener("change", () => { roleTouched = true; });
	if (initial.value) check();
	return row;
}

export async function reportNewPage(view) {
	if (!can("POST", "/api/v1/reports")) throw Object.assign(new Error("forbidden"), { status: 403, code: "forbidden" });
	const center = reachOf("POST", "/api/v1/reports") === "all";
	const [agencyMap, cases] = await Promise.all([
		center ? agencies() : null,
		can("GET", "/api/v1/cases") ? api("GET", "/api/v1/cases").then((r) => r.items || []).catch(() => []) : [],
	]);

	const f = {
		channel: select([["", t("common.choose")], ...CHANNELS.map((c) => [c, label("channel", c)])], { value: "165" }),
		crime_type: select([["", t("common.choose")], ...CRIME_TYPES.map((c) => [c, label("crime", c)])]),
		occurred_at: h("input", { type: "datetime-local" }),
		reported_at: h("input", { type: "datetime-local" }),
		"victim.kind": select(VICTIM_KINDS.map((c) => [c, label("victim", c)]), { value: "individual" }),
		"victim.sector": h("input", { autocomplete: "off" }),
		"loss.twd": h("input", { type: "number", min: "0", step: "1", inputmode: "numeric" }),
		"loss.currency": h("input", { autocomplete: "off", maxlength: "8", placeholder: "USDT" }),
		"loss.amount": h("input", { autocomplete: "off", inputmode: "decimal" }),
		payment_method: select([["", t("common.none")], ...PAYMENT_METHODS.map((c) => [c, label("payment", c)])]),
		narrative: h("textarea", { rows: "6" }),
		source_ref: h("input", { autocomplete: "off" }),
		case_id: select([["", t("common.none")], ...cases.map((c) => [String(c.id), `${c.number} ${c.title || ""}`])]),
		agency_id: center ? select([...agencyMap.values()].map((a) => [String(a.id), agencyName(a)]), { value: String(app.session.user.agency_id) }) : null,
	};
	const rocHint = (input) => {
		const out = h("span", { class: "roc", "aria-live": "polite" });
		input.addEventListener("input", () => { out.textContent = rocOfLocal(input.value); });
		return out;
	};

	const list = h("div", { class: "ident-list", id: "ident-list" });
	const addRow = (initial) => {
		const row = identRow(list, initial);
		list.append(row);
		return row;
	};
	addRow();

	const found = h("div", { class: "extracted", id: "extracted", "aria-live": "polite" });
	const extractBtn = h("button", { type: "button", id: "extract", onclick: async () => {
		const text = f.narrative.value.trim();
		if (!text) { found.replaceChildren(emptyState(t("report.extract_nothing_to_read"))); return; }
		extractBtn.disabled = true;
		try {
			const r = await api("POST", "/api/v1/identifiers/extract", { text });
			showFound(r.items || []);
		} catch (err) {
			found.replaceChildren(errorBox(err));
		} finally {
			extractBtn.disabled = false;
		}
	} }, t("report.extract"));

	const have = () => new Set([...list.children].map((r) => r.parsed && `${r.parsed.type}:${r.parsed.value}`).filter(Boolean));
	function showFound(items) {
		if (!items.length) { found.replaceChildren(emptyState(t("report.extract_none"))); return; }
		const present = have();
		const add = (e, btn) => {
			const empty = [...list.children].find((r) => !r.inputs.value.value.trim());
			if (empty) {
				empty.inputs.type.value = e.type;
				empty.inputs.value.value = e.value;
				empty.inputs.role.value = e.role || DEFAULT_ROLE[e.type] || "caller";
				empty.check();
			} else addRow({ type: e.type, value: e.value, role: e.role });
			btn.disabled = true;
			btn.textContent = t("report.extract_added");
		};
		const buttons = [];
		found.replaceChildren(h("p", null, t("report.extract_found", { n: items.length })),
			h("ul", { class: "found-list" }, items.map((e) => {
				const already = present.has(`${e.type}:${e.value}`);
				const btn = h("button", { type: "button", class: "small", disabled: already, onclick: () => add(e, btn) },
					already ? t("report.extract_added") : t("report.extract_add"));
				if (!already) buttons.push([e, btn]);
				return h("li", null, h("span", { class: "badge" }, label("type", e.type)), " ",
					h("strong", null, e.display || e.value), " ", h("span", { class: "muted" }, `「${e.text}」 → ${label("role_ident", e.role)}`), " ", btn);
			})),
			buttons.length > 1 ? h("button", { type: "button", class: "small", onclick: () => buttons.forEach(([e, b]) => !b.disabled && add(e, b)) }, t("report.extract_add_all")) : null);
	}

	const status = h("div", { class: "form-status", role: "alert" });
	const submit = h("button", { type: "submit", class: "primary", id: "save-report" }, t("report.save"));
	const form = h("form", { id: "report-form", novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		clearFieldErrors(form);
		status.replaceChildren();
		if (!f.channel.value) setFieldError(f.channel, t("error.required"));
		if (!f.crime_type.value) setFieldError(f.crime_type, t("error.required"));
		const rows = [...list.children].filter((r) => r.inputs.value.value.trim());
		rows.filter((r) => r.dataset.state === "bad").forEach((r) => setFieldError(r.inputs.value, r.error));
		const bad = form.querySelector("[aria-invalid]");
		if (bad) {
			status.replaceChildren(h("p", { class: "alert error" }, t("report.fix_fields")));
			bad.focus();
			return;
		}
		const body = { channel: f.channel.value, crime_type: f.crime_type.value };
		if (f.occurred_at.value) body.occurred_at = f.occurred_at.value;
		if (f.reported_at.value) body.reported_at = f.reported_at.value;
		body.victim = { kind: f["victim.kind"].value };
		if (f["victim.sector"].value.trim()) body.victim.sector = f["victim.sector"].value.trim();
		const loss = {};
		if (f["loss.twd"].value !== "") loss.twd = Number(f["loss.twd"].value);
		if (f["loss.currency"].value.trim()) loss.currency = f["loss.currency"].value.trim();
		if (f["loss.amount"].value.trim()) loss.amount = f["loss.amount"].value.trim();
		if (Object.keys(loss).length) body.loss = loss;
		if (f.payment_method.value) body.payment_method = f.payment_method.value;
		if (f.narrative.value.trim()) body.narrative = f.narrative.value.trim();
		if (f.source_ref.value.trim()) body.source_ref = f.source_ref.value.trim();
		if (f.case_id.value) body.case_id = Number(f.case_id.value);
		if (f.agency_id && f.agency_id.value) body.agency_id = Number(f.agency_id.value);
		body.identifiers = rows.map((r) => {
			const x = { value: r.inputs.value.value.trim(), role: r.inputs.role.value };
			if (r.inputs.type.value) x.type = r.inputs.type.value;
			return x;
		});
		submit.disabled = true;
		try {
			const r = await api("POST", "/api/v1/reports", body);
			app.lastSaved = r;
			flash(t("report.saved", { id: r.report.id }));
			await navigate(`/reports/${r.report.id}`);
		} catch (err) {
			submit.disabled = false;
			const m = /^identifiers\[(\d+)\]\.(\w+)$/.exec(err.field || "");
			const input = m ? rows[+m[1]] && rows[+m[1]].inputs[m[2]] : f[err.field];
			if (input) {
				setFieldError(input, err.code === "invalid" ? reasonText(err.detail) : errorText(err));
				status.replaceChildren(h("p", { class: "alert error" }, errorText(err)));
				input.focus();
			} else status.replaceChildren(errorBox(err));
		}
	} },
	section(t("report.section_basic"),
		h("div", { class: "grid" },
			field({ id: "channel", label: t("field.channel"), input: f.channel, required: true }),
			field({ id: "crime_type", label: t("field.crime_type"), input: f.crime_type, required: true }),
			h("div", null, field({ id: "occurred_at", label: t("field.occurred_at"), input: f.occurred_at, hint: t("report.time_hint") }), rocHint(f.occurred_at)),
			h("div", null, field({ id: "reported_at", label: t("field.reported_at"), input: f.reported_at, hint: t("report.reported_hint") }), rocHint(f.reported_at)),
			field({ id: "victim_kind", label: t("field.victim.kind"), input: f["victim.kind"] }),
			field({ id: "victim_sector", label: t("field.victim.sector"), input: f["victim.sector"] }),
			field({ id: "loss_twd", label: t("field.loss.twd"), input: f["loss.twd"] }),
			field({ id: "payment_method", label: t("field.payment_method"), input: f.payment_method }),
			field({ id: "loss_currency", label: t("field.loss.currency"), input: f["loss.currency"], hint: t("report.currency_hint") }),
			field({ id: "loss_amount", label: t("field.loss.amount"), input: f["loss.amount"] }),
			field({ id: "source_ref", label: t("field.source_ref"), input: f.source_ref, hint: t("report.source_ref_hint") }),
			cases.length ? field({ id: "case_id", label: t("field.case_id"), input: f.case_id }) : null,
			f.agency_id ? field({ id: "agency_id", label: t("field.agency_id"), input: f.agency_id }) : null)),
	section(t("field.narrative"),
		field({ id: "narrative", label: t("report.narrative_label"), input: f.narrative, hint: t("report.narrative_hint") }),
		extractBtn, found),
	section(t("report.section_identifiers"),
		h("p", { class: "hint" }, t("report.ident_hint")),
		list,
		h("button", { type: "button", id: "add-ident", onclick: () => addRow().inputs.value.focus() }, t("report.add_ident"))),
	status, h("div", { class: "form-actions" }, submit));
	view.append(pageHeader(t("nav.report_new")), form);
}

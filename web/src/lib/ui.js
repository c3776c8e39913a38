// ui.js - shared pieces of pages: form fields with their error slot, tables,
// empty states, error boxes, notices, definition lists.
import { h, nextId } from "./dom.js";
import { t } from "./i18n.js";
import { errorText } from "./errors.js";

// A labelled field: { label, input, hint, id }. The input gets the id, an error
// slot (#id-error) and aria-describedby naming the hint and the error.
export function field({ label, input, hint, id = input.id || nextId("f"), required = false, className = "" }) {
	input.id = id;
	const hintEl = hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null;
	const err = h("p", { class: "field-error", id: `${id}-error`, "aria-live": "polite" });
	input.setAttribute("aria-describedby", [hintEl && hintEl.id, err.id].filter(Boolean).join(" "));
	if (required) input.required = true;
	return h("div", { class: `field ${className}`, dataset: { field: id } },
		h("label", { for: id }, label, required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null),
		input, hintEl, err);
}

export function setFieldError(input, message) {
	const err = document.getElementById(`${input.id}-error`);
	if (err) err.textContent = message || "";
	if (message) input.setAttribute("aria-invalid", "true");
	else input.removeAttribute("aria-invalid");
}

export function clearFieldErrors(root) {
	root.querySelectorAll("[aria-invalid]").forEach((el) => setFieldError(el, ""));
}

export function select(options, attrs = {}) {
	return h("select", attrs, options.map(([value, text]) => h("option", { value }, text)));
}

// A table: columns [{ label, cell: (row) => node|string, className }], rows.
export function table(columns, rows, { caption, empty } = {}) {
	if (!rows.length) return emptyState(empty || t("common.empty"));
	return h("div", { class: "table-wrap" }, h("table", null,
		caption ? h("caption", null, caption) : null,
		h("thead", null, h("tr", null, columns.map((c) => h("th", { scope: "col", class: c.className }, c.label)))),
		h("tbody", null, rows.map((r) => h("tr", null, columns.map((c) => h("td", { class: c.className }, c.cell(r))))))));
}

export function emptyState(text, ...extra) {
	return h("div", { class: "empty" }, h("p", null, text), extra);
}

export function errorBox(err) {
	return h("div", { class: "alert error", role: "alert" }, errorText(err));
}

export function notice(text, kind = "ok") {
	return h("div", { class: `alert ${kind}`, role: "status" }, text);
}

export function loading() {
	return h("p", { class: "loading", role: "status" }, t("common.loading"));
}

export function dl(pairs) {
	return h("dl", { class: "facts" }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== "")
		.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]));
}

export function badge(text, kind = "") {
	return h("span", { class: `badge ${kind}` }, text);
}

export function pageHeader(title, ...actions) {
	document.title = `${title} · rootcut`;
	return h("div", { class: "page-head" }, h("h1", { tabindex: "-1" }, title),
		actions.length ? h("div", { class: "actions" }, actions) : null);
}

export function section(title, ...children) {
	const id = nextId("sec");
	return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), children);
}

// Save text as a file (CSV exports): a BOM so spreadsheet programs read UTF-8.
export function download(filename, text, type = "text/csv;charset=utf-8") {
	const blob = new Blob(["\ufeff", text], { type });
	const url = URL.createObjectURL(blob);
	const a = h("a", { href: url, download: filename, hidden: true });
	document.body.append(a);
	a.click();
	setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
}

export function csvLine(cells) {
	return cells.map((c) => {
		const s = c == null ? "" : String(c);
		return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
	}).join(",");
}

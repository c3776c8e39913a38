// passthru.js - the passthru list: names never blocked whatever an order says
// (GET /api/v1/rpz/passthru); DNS operators and administrators add and
// remove entries (POST, DELETE), each change published at once and audited.
import "./rpz.css";
import { h } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import { api } from "../lib/api.js";
import { can, renderRoute, flash } from "../lib/app.js";
import { pageHeader, section, table, badge, errorBox, field, setFieldError, clearFieldErrors } from "../lib/ui.js";
import { errorText } from "../lib/errors.js";
import { fmtDateTime } from "../lib/format.js";
import { confirmDialog } from "../lib/dialog.js";
import { domainReason } from "./orders.js";

function addForm() {
	const domain = h("input", { autocomplete: "off", spellcheck: "false", autocapitalize: "none", placeholder: "gov.tw" });
	const subdomains = h("input", { type: "checkbox", checked: true, id: "passthru-subdomains" });
	const reason = h("input", { maxlength: "1000", autocomplete: "off" });
	const status = h("div", { class: "form-status", role: "alert" });
	const submit = h("button", { type: "submit", class: "primary" }, t("passthru.add"));
	const inputs = { domain, reason, subdomains };
	const form = h("form", { id: "passthru-form", class: "edit-form", novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		clearFieldErrors(form);
		status.replaceChildren();
		let bad = false;
		if (!domain.value.trim()) { setFieldError(domain, t("error.required")); bad = true; }
		if (!reason.value.trim()) { setFieldError(reason, t("passthru.reason_required")); bad = true; }
		if (bad) { form.querySelector("[aria-invalid]").focus(); return; }
		submit.disabled = true;
		try {
			const p = await api("POST", "/api/v1/rpz/passthru", { domain: domain.value.trim(), subdomains: subdomains.checked, reason: reason.value.trim() });
			flash(t("passthru.added", { domain: p.domain }));
			await renderRoute({ focus: false });
		} catch (err) {
			submit.disabled = false;
			const input = inputs[err.field];
			if (input === domain && err.code === "invalid") { setFieldError(domain, domainReason(err.detail)); domain.focus(); } else if (input) { setFieldError(input, errorText(err)); input.focus(); } else status.replaceChildren(errorBox(err));
		}
	} },
	h("h3", null, t("passthru.add_title")),
	h("div", { class: "inline-form" },
		field({ id: "passthru-domain", label: t("passthru.domain"), input: domain, hint: t("passthru.domain_hint"), required: true }),
		field({ id: "passthru-reason", label: t("passthru.reason"), input: reason, hint: t("passthru.reason_hint"), required: true })),
	h("div", { class: "field checkbox" }, h("label", { for: "passthru-subdomains" }, subdomains, " ", t("passthru.subdomains"))),
	status, submit);
	return form;
}

export async function passthruPage(view) {
	const r = await api("GET", "/api/v1/rpz/passthru");
	const items = r.items || [];
	const mayRemove = can("DELETE", "/api/v1/rpz/passthru/{id}");
	const cols = [
		{ label: t("passthru.domain"), cell: (p) => h("code", { class: "passthru-domain" }, p.domain) },
		{ label: t("passthru.subdomains_short"), cell: (p) => (p.subdomains ? t("common.yes") : t("common.no")) },
		{ label: t("passthru.reason"), cell: (p) => p.reason },
		{ label: t("passthru.by"), cell: (p) => p.created_by },
		{ label: t("passthru.at"), cell: (p) => fmtDateTime(p.created_at), className: "nowrap" },
	];
	if (mayRemove) cols.push({ label: t("order.actions"), cell: (p) => {
		const out = h("span", { role: "alert" });
		const b = h("button", { type: "button", class: "small danger remove-passthru", dataset: { domain: p.domain },
			"aria-label": t("passthru.remove_named", { domain: p.domain }), onclick: async () => {
				const ok = await confirmDialog({ id: "passthru-dialog", title: t("passthru.remove_title", { domain: p.domain }),
					text: t("passthru.remove_text"), confirm: t("passthru.remove_confirm"), danger: true });
				if (!ok) return;
				b.disabled = true;
				try {
					await api("DELETE", `/api/v1/rpz/passthru/${p.id}`);
					flash(t("passthru.removed", { domain: p.domain }));
					await renderRoute({ focus: false });
				} catch (err) {
					b.disabled = false;
					out.replaceChildren(errorBox(err));
				}
			} }, t("common.remove"));
		return [b, out];
	} });
	view.append(pageHeader(t("nav.passthru")), h("p", { class: "lead" }, t("passthru.lead")),
		section(t("passthru.list"), h("div", { id: "passthru-list" }, table(cols, items, { caption: t("passthru.caption"), empty: t("passthru.none") })),
			can("POST", "/api/v1/rpz/passthru") ? addForm() : h("p", { class: "hint" }, badge(t("passthru.read_only")), " ", t("passthru.read_only_hint"))));
	return null;
}

// account.js - my account: who I am, changing my password (also the forced
// first change, which main.js shows before anything else), and turning the
// second factor (TOTP) on with a QR code drawn here, or off.
import { h } from "../lib/dom.js";
import { t, label } from "../lib/i18n.js";
import { api, setCsrf } from "../lib/api.js";
import { app, agencyName, flash, renderRoute } from "../lib/app.js";
import { field, setFieldError, clearFieldErrors, errorBox, notice, pageHeader, section, dl } from "../lib/ui.js";
import { errorText } from "../lib/errors.js";
import { fmtDateTime } from "../lib/format.js";
import qrcode from "qrcode-generator";

const SVG = "http://www.w3.org/2000/svg";

// The QR code of text as an SVG element drawn in the page (nothing is fetched;
// the secret never leaves the browser but to the platform itself).
export function qrSvg(text, { label = "" } = {}) {
	const qr = qrcode(0, "M");
	qr.addData(text);
	qr.make();
	const n = qr.getModuleCount();
	const quiet = 4;
	let d = "";
	for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + quiet} ${r + quiet}h1v1h-1z`;
	const svg = document.createElementNS(SVG, "svg");
	const size = n + 2 * quiet;
	svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
	svg.setAttribute("width", String(size * 5));
	svg.setAttribute("height", String(size * 5));
	svg.setAttribute("role", "img");
	svg.setAttribute("aria-label", label);
	svg.setAttribute("shape-rendering", "crispEdges");
	svg.dataset.modules = String(n);
	const bg = document.createElementNS(SVG, "rect");
	bg.setAttribute("width", String(size));
	bg.setAttribute("height", String(size));
	bg.setAttribute("fill", "#fff");
	const path = document.createElementNS(SVG, "path");
	path.setAttribute("d", d);
	path.setAttribute("fill", "#000");
	svg.append(bg, path);
	return svg;
}

async function refreshSession() {
	const fresh = await api("GET", "/api/v1/session");
	app.session = fresh;
	if (fresh.csrf_token) setCsrf(fresh.csrf_token);
}

// Turning TOTP on: ask the server for a secret, show it as a QR code and as
// text, and confirm with a code from the app. Turning it off takes the
// password and a current code.
function totpSection(onChange) {
	const box = h("div", { id: "totp-box" });
	const s = app.session;
	if (s.user.totp_enabled) {
		const pw = h("input", { type: "password", autocomplete: "current-password" });
		const code = h("input", { inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6}", maxlength: "6" });
		const status = h("div", { class: "form-status", role: "alert" });
		const submit = h("button", { type: "submit" }, t("totp.disable"));
		const form = h("form", { id: "totp-disable-form", novalidate: true, onsubmit: async (ev) => {
			ev.preventDefault();
			clearFieldErrors(form);
			status.replaceChildren();
			if (!pw.value) { setFieldError(pw, t("error.required")); pw.focus(); return; }
			if (!/^[0-9]{6}$/.test(code.value.trim())) { setFieldError(code, t("error.unauthorized.totp")); code.focus(); return; }
			submit.disabled = true;
			try {
				await api("DELETE", "/api/v1/session/totp", { password: pw.value, totp: code.value.trim() }, { quiet401: true });
				await refreshSession();
				onChange(t("totp.disabled"));
			} catch (err) {
				submit.disabled = false;
				const input = { password: pw, totp: code }[err.field];
				if (input) { setFieldError(input, errorText(err)); input.focus(); } else status.replaceChildren(errorBox(err));
			}
		} },
		field({ id: "totp-off-password", label: t("account.current"), input: pw }),
		field({ id: "totp-off-code", label: t("signin.totp"), input: code }), status, submit);
		box.append(h("p", null, t("totp.on")), h("details", { class: "edit" }, h("summary", null, t("totp.disable")), form));
		return box;
	}
	const start = h("button", { type: "button", id: "totp-setup", class: "primary", onclick: async () => {
		start.disabled = true;
		let r;
		try {
			r = await api("POST", "/api/v1/session/totp", {});
		} catch (err) {
			start.disabled = false;
			box.append(errorBox(err));
			return;
		}
		const code = h("input", { inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6}", maxlength: "6" });
		const status = h("div", { class: "form-status", role: "alert" });
		const submit = h("button", { type: "submit", class: "primary" }, t("totp.confirm"));
		const grouped = r.secret.replace(/(.{4})(?=.)/g, "$1 ");
		const form = h("form", { id: "totp-confirm-form", novalidate: true, onsubmit: async (ev) => {
			ev.preventDefault();
			clearFieldErrors(form);
			status.replaceChildren();
			if (!/^[0-9]{6}$/.test(code.value.trim())) { setFieldError(code, t("error.unauthorized.totp")); code.focus(); return; }
			submit.disabled = true;
			try {
				await api("POST", "/api/v1/session/totp/confirm", { code: code.value.trim() }, { quiet401: true });
				await refreshSession();
				onChange(t("totp.enabled"));
			} catch (err) {
				submit.disabled = false;
				setFieldError(code, errorText(err));
				code.focus();
			}
		} },
		h("ol", { class: "steps" },
			h("li", null, t("totp.step_app")),
			h("li", null, t("totp.step_scan"), h("div", { class: "qr", id: "totp-qr" }, qrSvg(r.otpauth_uri, { label: t("totp.qr_label") })),
				h("details", null, h("summary", null, t("totp.cannot_scan")),
					h("p", null, t("totp.secret_hint")), h("p", null, h("code", { id: "totp-secret" }, grouped)),
					h("p", { class: "hint" }, h("code", { id: "totp-uri" }, r.otpauth_uri)))),
			h("li", null, t("totp.step_code"), field({ id: "totp-code", label: t("signin.totp"), input: code, hint: t("totp.code_hint") }))),
		status, submit);
		box.replaceChildren(form);
		code.focus();
	} }, t("totp.setup"));
	box.append(h("p", null, t("totp.off")), start);
	return box;
}

export function passwordForm(onDone) {
	const totpOn = app.session && app.session.user.totp_enabled;
	const current = h("input", { type: "password", autocomplete: "current-password" });
	const next = h("input", { type: "password", autocomplete: "new-password", minlength: "12" });
	const again = h("input", { type: "password", autocomplete: "new-password" });
	const totp = h("input", { inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]{6}", maxlength: "6" });
	const status = h("div", { class: "form-status", role: "alert" });
	const submit = h("button", { type: "submit", class: "primary" }, t("common.save"));
	const inputs = { current_password: current, new_password: next, totp };
	const form = h("form", { id: "password-form", novalidate: true, onsubmit: async (ev) => {
		ev.preventDefault();
		clearFieldErrors(form);
		status.replaceChildren();
		if (!current.value) setFieldError(current, t("error.required"));
		if (next.value.length < 12) setFieldError(next, t("account.new_hint"));
		else if (next.value !== again.value) setFieldError(again, t("account.mismatch"));
		if (totpOn && !/^[0-9]{6}$/.test(totp.value.trim())) setFieldError(totp, t("error.unauthorized.totp"));
		const bad = form.querySelector("[aria-invalid]");
		if (bad) { bad.focus(); return; }
		const body = { current_password: current.value, new_password: next.value };
		if (totpOn) body.totp = totp.value.trim();
		submit.disabled = true;
		try {
			const r = await api("POST", "/api/v1/session/password", body, { quiet401: true });
			if (r && r.csrf_token) setCsrf(r.csrf_token);
			current.value = next.value = again.value = totp.value = "";
			await onDone(r);
		} catch (err) {
			const input = inputs[err.field];
			if (input) { setFieldError(input, errorText(err)); input.focus(); } else status.replaceChildren(errorBox(err));
		} finally {
			submit.disabled = false;
		}
	} },
	field({ id: "current-password", label: t("account.current"), input: current }),
	field({ id: "new-password", label: t("account.new"), input: next, hint: t("account.new_hint") }),
	field({ id: "new-password-again", label: t("account.again"), input: again }),
	totpOn ? field({ id: "password-totp", label: t("signin.totp"), input: totp }) : null,
	status, submit);
	return form;
}

export async function accountPage(view) {
	const s = app.session;
	const done = h("div");
	const totpDone = h("div");
	const totpSec = section(t("totp.title"), totpDone, totpSection(async (text) => {
		flash(text);
		await renderRoute({ focus: false });
	}));
	totpSec.id = "totp";
	view.append(pageHeader(t("nav.account")),
		section(t("account.who"), dl([
			[t("account.name"), s.user.display_name],
			[t("signin.username"), s.user.username],
			[t("account.agency"), agencyName(s.agency)],
			[t("account.roles"), s.user.roles.map((r) => label("role", r)).join(t("common.list_sep"))],
			[t("account.totp"), s.user.totp_enabled ? t("common.yes") : t("common.no")],
			[t("account.last_login"), fmtDateTime(s.user.last_login_at)],
		])),
		totpSec,
		section(t("account.change_password"), done, passwordForm(async () => {
			done.replaceChildren(notice(t("account.changed")));
			done.querySelector(".alert")?.focus();
		})));
}

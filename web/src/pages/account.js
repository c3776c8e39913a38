// account.js - my account: who I am, and changing my password (also the
// forced first change, which main.js shows before anything else).
import { h } from "../lib/dom.js";
import { t, label } from "../lib/i18n.js";
import { api, setCsrf } from "../lib/api.js";
import { app, agencyName } from "../lib/app.js";
import { field, setFieldError, clearFieldErrors, errorBox, notice, pageHeader, section, dl } from "../lib/ui.js";
import { errorText } from "../lib/errors.js";
import { fmtDateTime } from "../lib/format.js";

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
	view.append(pageHeader(t("nav.account")),
		section(t("account.who"), dl([
			[t("account.name"), s.user.display_name],
			[t("signin.username"), s.user.username],
			[t("account.agency"), agencyName(s.agency)],
			[t("account.roles"), s.user.roles.map((r) => label("role", r)).join(t("common.list_sep"))],
			[t("account.totp"), s.user.totp_enabled ? t("common.yes") : t("common.no")],
			[t("account.last_login"), fmtDateTime(s.user.last_login_at)],
		])),
		section(t("account.change_password"), done, passwordForm(async () => {
			done.replaceChildren(notice(t("account.changed")));
			done.querySelector(".alert")?.focus();
		})));
}

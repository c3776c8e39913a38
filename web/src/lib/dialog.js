// dialog.js - a modal confirmation (the native <dialog>: focus stays inside,
// Escape cancels, focus returns to the button that opened it), optionally
// asking for a reason that must not be empty. Used before irreversible steps.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { field, setFieldError } from "./ui.js";

// confirmDialog({ title, text, confirm, reason, reasonLabel, reasonHint, danger })
// resolves to null when cancelled, or { reason } when confirmed.
export function confirmDialog({ title, text, confirm, reason = false, reasonLabel = "", reasonHint = "", danger = false, id = "confirm-dialog" }) {
	return new Promise((resolve) => {
		const opener = document.activeElement;
		const input = reason ? h("textarea", { rows: "3", maxlength: "1000" }) : null;
		let answer = null;
		const dlg = h("dialog", { class: "confirm", id, "aria-labelledby": `${id}-title`, "aria-describedby": `${id}-text` });
		const cancel = h("button", { type: "button", class: "cancel", onclick: () => dlg.close() }, t("common.cancel"));
		const form = h("form", { method: "dialog", novalidate: true, onsubmit: (ev) => {
			ev.preventDefault();
			if (input && !input.value.trim()) {
				setFieldError(input, t("order.reason_required"));
				input.focus();
				return;
			}
			answer = { reason: input ? input.value.trim() : "" };
			dlg.close();
		} },
		h("h2", { id: `${id}-title` }, title),
		h("p", { id: `${id}-text` }, text),
		input ? field({ id: `${id}-reason`, label: reasonLabel, input, hint: reasonHint, required: true }) : null,
		h("div", { class: "form-actions" },
			h("button", { type: "submit", class: danger ? "primary danger" : "primary" }, confirm), cancel));
		dlg.append(form);
		dlg.addEventListener("close", () => {
			dlg.remove();
			if (opener && opener.isConnected) opener.focus();
			resolve(answer);
		});
		document.body.append(dlg);
		dlg.showModal();
		(input || form.querySelector("button[type=submit]")).focus();
	});
}

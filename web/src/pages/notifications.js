// notifications.js - my in-app notifications (watch hits, access requests and
// decisions), and the unread count beside the navigation entry.
import { h } from "../lib/dom.js";
import { t, tMaybe } from "../lib/i18n.js";
import { api } from "../lib/api.js";
import { pageHeader, table, badge } from "../lib/ui.js";
import { fmtDateTime } from "../lib/format.js";

export async function refreshUnread() {
	try {
		const r = await api("GET", "/api/v1/notifications?unread=1");
		const el = document.getElementById("unread");
		if (!el) return;
		el.textContent = r.unread ? String(r.unread) : "";
		el.hidden = !r.unread;
		el.setAttribute("aria-label", t("notifications.unread_n", { n: r.unread }));
	} catch (e) { /* the count is a convenience */ }
}

// A notification's link inside the UI: the API gives /api/v1/… paths.
export function uiLink(link) {
	if (!link) return null;
	const m = /^\/api\/v1\/(reports|cases|identifiers)\/(\d+)/.exec(link);
	if (m) return `/${m[1]}/${m[2]}`;
	if (/^\/api\/v1\/access-requests\b/.test(link)) return "/access-requests";
	if (link.startsWith("/") && !link.startsWith("/api/")) return link;
	return null;
}

export function notificationList(items, { onRead } = {}) {
	return table([
		{ label: t("notifications.when"), cell: (n) => fmtDateTime(n.created_at) },
		{ label: t("notifications.kind"), cell: (n) => tMaybe(`notify.${n.kind}`) ?? n.kind },
		{ label: t("notifications.title"), cell: (n) => {
			const href = uiLink(n.link);
			return [href ? h("a", { href }, n.title) : n.title, n.read_at ? null : [" ", badge(t("notifications.new"), "new")]];
		} },
		{ label: "", cell: (n) => (n.read_at ? "" : h("button", { type: "button", class: "small", onclick: async (ev) => {
			await api("POST", `/api/v1/notifications/${n.id}/read`);
			ev.target.closest("tr").querySelector(".badge.new")?.remove();
			ev.target.remove();
			refreshUnread();
			if (onRead) onRead(n);
		} }, t("notifications.mark_read"))) },
	], items, { empty: t("notifications.empty") });
}

export async function notificationsPage(view) {
	const r = await api("GET", "/api/v1/notifications");
	view.append(pageHeader(t("nav.notifications")), h("section", { class: "card" }, notificationList(r.items || [])));
}

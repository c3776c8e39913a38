// dom.js - a tiny element builder: h("p", { class: "x" }, "text", child…).
// Text is always set as text (never parsed as HTML), so server data cannot inject markup.

export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	let value;
	if (attrs) {
		for (const [k, v] of Object.entries(attrs)) {
			if (v == null || v === false) continue;
			if (k === "value") value = v;
			else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
			else if (k === "class") el.className = v;
			else if (k === "dataset") Object.assign(el.dataset, v);
			else if (typeof v === "boolean" || typeof v === "number") {
				if (k in el) el[k] = v;
				else el.setAttribute(k, v === true ? "" : String(v));
			} else el.setAttribute(k, v);
		}
	}
	append(el, children);
	if (value !== undefined) el.value = value;
	return el;
}

export function append(el, children) {
	for (const c of children.flat(Infinity)) {
		if (c == null || c === false) continue;
		el.append(c instanceof Node ? c : String(c));
	}
	return el;
}

export function clear(el, ...children) {
	el.replaceChildren();
	return append(el, children);
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// A debounced function: waits ms after the last call.
export function debounce(fn, ms) {
	let timer = null;
	return (...args) => {
		clearTimeout(timer);
		timer = setTimeout(() => fn(...args), ms);
	};
}

let uid = 0;
export const nextId = (prefix) => `${prefix}-${++uid}`;

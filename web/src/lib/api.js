// api.js - calls to /api/v1 with the session cookie; the CSRF token from the
// session goes with every POST, PATCH and DELETE. Errors become ApiError with
// the server's stable code and field (the UI translates those, not the message).

export class ApiError extends Error {
	constructor(status, body) {
		const e = (body && body.error) || {};
		super(e.message || `HTTP ${status}`);
		this.status = status;
		this.code = status === 0 ? "network" : e.code || "internal";
		this.field = e.field || "";
		this.detail = e.message || "";
		this.body = body; // the whole answer, for errors with more (errors[] of a refused draft)
	}
}

const state = { csrf: null, onExpired: null };

export function setCsrf(token) {
	state.csrf = token || null;
}

// Called when a signed-in call answers 401: the session ended (expired, signed out elsewhere).
export function onSessionExpired(fn) {
	state.onExpired = fn;
}

export async function api(method, path, body, opts = {}) {
	const headers = { Accept: "application/json" };
	let payload;
	if (body !== undefined) {
		if (opts.contentType) {
			headers["Content-Type"] = opts.contentType;
			payload = body;
		} else {
			headers["Content-Type"] = "application/json";
			payload = JSON.stringify(body);
		}
	}
	if (method !== "GET" && method !== "HEAD" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
	let res;
	try {
		res = await fetch(path, { method, headers, body: payload, credentials: "same-origin", cache: "no-store" });
	} catch (err) {
		throw new ApiError(0, null);
	}
	const data = res.status === 204 ? null : await res.json().catch(() => null);
	if (!res.ok) {
		const err = new ApiError(res.status, data);
		if (res.status === 401 && !opts.quiet401 && state.onExpired) state.onExpired(err);
		throw err;
	}
	return data;
}

// A query string from an object, skipping empty values; arrays repeat the key.
export function qs(params) {
	const u = new URLSearchParams();
	for (const [k, v] of Object.entries(params || {})) {
		if (v == null || v === "") continue;
		if (Array.isArray(v)) v.forEach((x) => u.append(k, x));
		else u.append(k, v);
	}
	const s = u.toString();
	return s ? `?${s}` : "";
}

// Upload a body with progress (fetch has no upload progress): resolves with the JSON answer.
export function upload(path, body, contentType, onProgress) {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open("POST", path);
		xhr.setRequestHeader("Content-Type", contentType);
		xhr.setRequestHeader("Accept", "application/json");
		if (state.csrf) xhr.setRequestHeader("X-CSRF-Token", state.csrf);
		xhr.upload.onprogress = (ev) => onProgress && onProgress("upload", ev.lengthComputable ? ev.loaded / ev.total : null);
		xhr.upload.onload = () => onProgress && onProgress("processing", null);
		xhr.onerror = () => reject(new ApiError(0, null));
		xhr.onload = () => {
			let data = null;
			try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
			if (xhr.status >= 200 && xhr.status < 300) resolve(data);
			else {
				const err = new ApiError(xhr.status, data);
				if (xhr.status === 401 && state.onExpired) state.onExpired(err);
				reject(err);
			}
		};
		xhr.send(body);
	});
}

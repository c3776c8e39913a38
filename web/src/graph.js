// graph.js - the neighbourhood graph of an identifier page (cytoscape.js,
// bundled; this module is loaded only when a graph is drawn).
import cytoscape from "cytoscape";

const COLORS = { center: "#0b4f8a", report: "#5b3f8c", ident: "#1b6e20", office: "#6b6b6b" };

export function drawGraph(el, { nodes, edges }, go) {
	el.replaceChildren();
	const cy = cytoscape({
		container: el,
		elements: [
			...nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind, href: n.href || "" } })),
			...edges.map((e, i) => ({ data: { id: `e${i}`, source: e.source, target: e.target } })),
		],
		style: [
			{ selector: "node", style: {
				label: "data(label)", "font-size": 11, color: "#1a1a1a", "text-valign": "bottom", "text-margin-y": 4,
				"background-color": (n) => COLORS[n.data("kind")] || "#444", width: 18, height: 18,
				"text-wrap": "ellipsis", "text-max-width": 140,
			} },
			{ selector: "node[kind = 'center']", style: { width: 30, height: 30, "font-size": 13, "font-weight": "bold" } },
			{ selector: "node[kind = 'report']", style: { shape: "round-rectangle" } },
			{ selector: "node[kind = 'office']", style: { shape: "diamond", "border-style": "dashed", "border-width": 2, "border-color": "#333", "background-color": "#fff" } },
			{ selector: "edge", style: { width: 1.5, "line-color": "#9a9a9a", "curve-style": "bezier" } },
		],
		// A tree from the identifier: its reports and the offices of blind hits, then
		// the reports' other identifiers; wide rather than round, to fit the page.
		layout: { name: "breadthfirst", roots: nodes.filter((n) => n.kind === "center").map((n) => `#${CSS.escape(n.id)}`).join(","),
			directed: false, spacingFactor: 1, padding: 16, animate: false, nodeDimensionsIncludeLabels: true },
		minZoom: 0.4,
		maxZoom: 2.5,
		wheelSensitivity: 0.3,
	});
	cy.on("tap", "node", (ev) => {
		const href = ev.target.data("href");
		if (href && ev.target.data("kind") !== "center") go(href);
	});
	el.dataset.nodes = String(nodes.length);
	return cy;
}

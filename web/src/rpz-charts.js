// rpz-charts.js - the zones page's chart of records over serials (Apache
// ECharts, only the parts used, bundled; loaded only by the zones page).
import * as echarts from "echarts/core";
import { LineChart } from "echarts/charts";
import { GridComponent, TooltipComponent, AriaComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([LineChart, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

// A step line: serials along the bottom, the zone's records after each.
export function recordsChart(el, { serials, records, name, description }) {
	const chart = echarts.init(el, null, { renderer: "canvas" });
	chart.setOption({
		color: ["#0b4f8a"],
		aria: { enabled: true, label: { description } },
		animation: false,
		tooltip: { trigger: "axis" },
		grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
		xAxis: { type: "category", data: serials, name: "", axisLabel: { color: "#1a1a1a" } },
		yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#333" } },
		series: [{ type: "line", step: "end", name, data: records, symbolSize: 6 }],
	});
	const ro = new ResizeObserver(() => chart.resize());
	ro.observe(el);
	return chart;
}

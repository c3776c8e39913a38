// charts.js - the dashboard's charts (Apache ECharts, only the parts used,
// bundled; this module is loaded only by the dashboard).
import * as echarts from "echarts/core";
import { BarChart } from "echarts/charts";
import { GridComponent, TooltipComponent, LegendComponent, AriaComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

const PALETTE = ["#0b4f8a", "#c05800", "#1b6e20", "#5b3f8c"];

// A horizontal bar chart: categories down the side, one bar per series.
export function barChart(el, { categories, series, description }) {
	const chart = echarts.init(el, null, { renderer: "canvas" });
	chart.setOption({
		color: PALETTE,
		aria: { enabled: true, label: { description } },
		animation: false,
		tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
		legend: { top: 0, textStyle: { color: "#1a1a1a" } },
		grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
		xAxis: { type: "value", minInterval: 1, axisLabel: { color: "#333" } },
		yAxis: { type: "category", data: categories, inverse: true, axisLabel: { color: "#1a1a1a", width: 160, overflow: "truncate" } },
		series: series.map((s) => ({ type: "bar", name: s.name, data: s.data, barMaxWidth: 16 })),
	});
	const ro = new ResizeObserver(() => chart.resize());
	ro.observe(el);
	return chart;
}

// A vertical bar chart over time: categories along the bottom (days), one series.
export function columnChart(el, { categories, series, description }) {
	const chart = echarts.init(el, null, { renderer: "canvas" });
	chart.setOption({
		color: PALETTE,
		aria: { enabled: true, label: { description } },
		animation: false,
		tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
		grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
		xAxis: { type: "category", data: categories, axisLabel: { color: "#1a1a1a" } },
		yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#333" } },
		series: series.map((s) => ({ type: "bar", name: s.name, data: s.data, barMaxWidth: 18 })),
	});
	const ro = new ResizeObserver(() => chart.resize());
	ro.observe(el);
	return chart;
}

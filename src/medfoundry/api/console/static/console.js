// The loss curve of a training job: drawn with uPlot from the live panel's data-points,
// redrawn each time the server-sent events swap in a new panel. No inline scripts (CSP-friendly).
(function () {
  "use strict";
  let plot = null;

  function points() {
    const holder = document.getElementById("job-live-data");
    if (!holder) return null;
    try { return JSON.parse(holder.dataset.points || "[]"); } catch (e) { return []; }
  }

  function draw() {
    const target = document.getElementById("loss-chart");
    const data = points();
    if (!target || data === null || typeof uPlot === "undefined") return;
    const series = [data.map(p => p[0]), data.map(p => p[1])];
    const counter = document.querySelector("[data-testid=loss-points]");
    if (counter) counter.textContent = String(data.length);
    target.dataset.points = String(data.length);
    const width = Math.max(260, Math.min(target.clientWidth || 800, 1000));
    if (plot) { plot.setData(series); return; }
    plot = new uPlot({
      width: width, height: 240,
      scales: { x: { time: false } },
      axes: [{ label: "step" }, { label: "loss" }],
      series: [{ label: "step" }, { label: "loss", stroke: "#0b5cad", width: 2 }],
    }, series, target);
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  document.addEventListener("htmx:sseMessage", draw);
  window.addEventListener("resize", function () {
    const target = document.getElementById("loss-chart");
    if (plot && target) plot.setSize({ width: Math.max(260, Math.min(target.clientWidth, 1000)), height: 240 });
  });
})();

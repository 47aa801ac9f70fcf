// Review pages: keyboard shortcuts on a task, and the quality chart (uPlot). No inline scripts.
(function () {
  "use strict";

  function typing(target) {
    const tag = (target && target.tagName) || "";
    return tag === "TEXTAREA" || tag === "INPUT" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function click(id) {
    const el = document.getElementById(id);
    if (el) el.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.id === "edited") {
      event.preventDefault();
      click("save-edit");
      return;
    }
    if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = {
      a: function () { click("approve"); },
      e: function () { const t = document.getElementById("edited"); if (t) { t.focus(); } },
      r: function () { const s = document.getElementById("reason"); if (s) { s.focus(); } },
      x: function () { click("reject"); },
      n: function () { const f = document.getElementById("next-form") || document.querySelector("form[action='/console/review/next']"); if (f) f.submit(); },
      q: function () { window.location.href = "/console/review"; },
    };
    const action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  function drawQuality() {
    const target = document.getElementById("review-chart");
    if (!target || typeof uPlot === "undefined") return;
    let s;
    try { s = JSON.parse(target.dataset.series || "{}"); } catch (e) { return; }
    if (!s.x || !s.x.length) { target.textContent = "No reviewed tasks yet."; return; }
    const width = Math.max(260, Math.min(target.clientWidth || 800, 1000));
    const days = s.days;
    const index = days.map(function (_, i) { return i; });
    new uPlot({
      width: width, height: 260,
      // x is the day's position: one day of data is one readable point, days are labelled as dates
      scales: { x: { time: false, range: [-0.5, days.length - 0.5] }, pct: { range: [0, 100] } },
      axes: [
        { incrs: [1], values: function (u, splits) { return splits.map(function (i) { return days[i] || ""; }); } },
        { scale: "pct", label: "%" },
        { scale: "words", side: 1, label: "words", grid: { show: false } },
      ],
      series: [
        { label: "day", value: function (u, i) { return i == null ? "--" : (days[i] || "--"); } },
        { label: "rejection rate %", scale: "pct", stroke: "#a4161a", width: 2, points: { show: true, size: 9 } },
        { label: "edit rate %", scale: "pct", stroke: "#0b5cad", width: 2, points: { show: true, size: 6 } },
        { label: "mean edit distance (words)", scale: "words", stroke: "#555", width: 2, dash: [6, 4], points: { show: true } },
      ],
    }, [index, s.rejection, s.edit, s.distance], target);
    target.dataset.drawn = String(s.x.length);
  }

  document.addEventListener("DOMContentLoaded", drawQuality);
})();

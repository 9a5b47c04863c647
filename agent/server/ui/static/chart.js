/* Belief charts (uPlot): confidence after each piece of evidence, over time. Support points
   are green, contradictions red; clicking a point (or choosing it with the arrow keys, Home
   and End, and pressing Enter while the chart has focus) opens its evidence row below. */
(function () {
  "use strict";
  if (!window.uPlot) return;
  var GREEN = "#2a8a4a", RED = "#c0392b", BLUE = "#3b6ea8";

  function pct(u, v) { return v == null ? "" : Math.round(v * 100) + "%"; }

  function pointsOnly(color) {
    return { stroke: color, width: 0, paths: function () { return null; }, value: pct,
      points: { show: true, size: 9, width: 1, stroke: color, fill: color } };
  }

  function day(t) { return new Date(t * 1000).toISOString().slice(0, 10); }

  function draw(el) {
    var pts = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    var readout = document.getElementById(el.dataset.chart.replace(/-points$/, "-readout"));
    var xs = pts.map(function (p) { return p.t; });
    var data = [
      xs,
      pts.map(function (p) { return p.y; }),
      pts.map(function (p) { return p.stance === "support" ? p.y : null; }),
      pts.map(function (p) { return p.stance === "contradict" ? p.y : null; })
    ];
    var opts = {
      width: Math.max(280, el.clientWidth || 600),
      height: 220,
      scales: { y: { range: [0, 1] } },
      axes: [{}, { values: function (u, vals) { return vals.map(function (v) { return Math.round(v * 100) + "%"; }); } }],
      series: [
        { label: "date", value: function (u, v) { return v == null ? "" : day(v); } },
        { label: "confidence", stroke: BLUE, width: 2, points: { show: false }, value: pct },
        Object.assign({ label: "support" }, pointsOnly(GREEN)),
        Object.assign({ label: "contradict" }, pointsOnly(RED))
      ],
      cursor: { points: { size: 12 }, drag: { x: false, y: false } }
    };
    var u = new window.uPlot(opts, data, el);
    var idx = pts.length - 1;

    function show(i) {
      var p = pts[i];
      if (readout) readout.textContent = day(p.t) + ": " + p.stance + ", confidence "
        + Math.round(p.y * 100) + "% (" + (i + 1) + " of " + pts.length + ")";
      u.setCursor({ left: u.valToPos(p.t, "x"), top: u.valToPos(p.y, "y") });
    }

    function open(i) {
      var row = document.querySelector(pts[i].href);
      if (!row) return;
      var fold = row.closest("details");
      if (fold) fold.open = true;
      document.querySelectorAll("tr.picked").forEach(function (r) { r.classList.remove("picked"); });
      row.classList.add("picked");
      history.replaceState(null, "", pts[i].href);
      row.focus();
      row.scrollIntoView({ block: "nearest" });
    }

    u.over.addEventListener("click", function (ev) {
      var i = u.posToIdx(ev.clientX - u.over.getBoundingClientRect().left);
      if (i == null || i < 0 || i >= pts.length) return;
      idx = i;
      open(i);
    });
    el.addEventListener("keydown", function (ev) {
      var step = { ArrowLeft: -1, ArrowRight: 1, Home: -pts.length, End: pts.length }[ev.key];
      if (step) {
        idx = Math.max(0, Math.min(pts.length - 1, idx + step));
        show(idx);
        ev.preventDefault();
      } else if (ev.key === "Enter") {
        open(idx);
        ev.preventDefault();
      }
    });
    window.addEventListener("resize", function () {
      u.setSize({ width: Math.max(280, el.clientWidth || 600), height: 220 });
    });
    el.dataset.points = String(pts.length);
    el.dataset.rendered = "1";
    el.chart = u;
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    try { draw(el); } catch (err) {
      el.textContent = "The chart could not be drawn (" + err.message + "); the table below has every point.";
    }
  });
})();

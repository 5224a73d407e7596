// The figures page: each chart is drawn from the table below it (the table stays the accessible
// version and what the exports hold). No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  var PALETTE = ["#0b5d7a", "#e8833a", "#5b8c3a", "#8e5ba8", "#c44b4b", "#3a8c8c", "#b5a33a", "#7a7a7a", "#3a5bb5"];

  function readTable(table, series) {
    var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (cell) {
      return cell.textContent.trim();
    });
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var labels = rows.map(function (row) { return row.cells[0].textContent.trim(); });
    var datasets = series.map(function (column, index) {
      return {
        label: headers[column],
        backgroundColor: PALETTE[index % PALETTE.length],
        borderColor: PALETTE[index % PALETTE.length],
        data: rows.map(function (row) {
          var cell = row.cells[column];
          var value = cell && cell.getAttribute("data-value");
          return value === null || value === undefined ? null : Number(value);
        })
      };
    });
    return { labels: labels, datasets: datasets };
  }

  function draw(canvas) {
    var table = document.getElementById(canvas.getAttribute("data-table"));
    if (!table || !window.Chart) return;
    var kind = canvas.getAttribute("data-chart");
    var series = canvas.getAttribute("data-series").split(",").filter(Boolean).map(Number);
    var stacked = kind === "stacked";
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    new window.Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: readTable(table, series),
      options: {
        indexAxis: kind === "horizontal" ? "y" : "x",
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        scales: {
          x: { stacked: stacked, beginAtZero: true },
          y: { stacked: stacked, beginAtZero: true }
        },
        plugins: { legend: { display: series.length > 1, position: "bottom" } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  });
})();

/* The register's chart: documented (named) people beside the estimated total, with
   the estimate's interval drawn as a line over its bar. */
(function () {
  "use strict";
  var source = document.getElementById("register-chart-data");
  var canvas = document.getElementById("register-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var style = getComputedStyle(document.documentElement);
  var accent = style.getPropertyValue("--accent").trim() || "#1d5f8a";
  var muted = "#8c959f";
  var intervals = {
    id: "intervals",
    afterDatasetsDraw: function (chart) {
      var meta = chart.getDatasetMeta(1);
      var scale = chart.scales.y;
      var context = chart.ctx;
      context.save();
      context.strokeStyle = "#1b1f23";
      context.lineWidth = 2;
      meta.data.forEach(function (bar, index) {
        var low = data.low[index], high = data.high[index];
        if (low === null || high === null) { return; }
        var x = bar.x, top = scale.getPixelForValue(high), bottom = scale.getPixelForValue(low);
        context.beginPath();
        context.moveTo(x, top); context.lineTo(x, bottom);
        context.moveTo(x - 6, top); context.lineTo(x + 6, top);
        context.moveTo(x - 6, bottom); context.lineTo(x + 6, bottom);
        context.stroke();
      });
      context.restore();
    }
  };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.documented_label, data: data.documented, backgroundColor: muted },
        { label: data.estimated_label, data: data.estimated, backgroundColor: accent }
      ]
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, suggestedMax: Math.max.apply(null, data.high.filter(function (v) { return v !== null; }).concat([0])) } }
    },
    plugins: [intervals]
  });
}());

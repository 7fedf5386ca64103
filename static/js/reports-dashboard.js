/* The overview dashboard: one Chart.js chart per series, each bar a link to the
   records behind it (when the user may open them), and a Leaflet map of origins. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#1d5f8a";

  function follow(series, index) {
    var link = series.links[index];
    if (link) { window.location.assign(link); }
  }

  if (typeof Chart !== "undefined") {
    data.series.forEach(function (series) {
      var canvas = document.getElementById("chart-" + series.key);
      if (!canvas) { return; }
      new Chart(canvas, {
        type: series.kind,
        data: {
          labels: series.labels,
          datasets: [{ label: series.title, data: series.values, backgroundColor: accent, borderColor: accent }]
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          onClick: function (event, elements) {
            if (elements.length) { follow(series, elements[0].index); }
          },
          onHover: function (event, elements) {
            var linked = elements.length && series.links[elements[0].index];
            event.native.target.style.cursor = linked ? "pointer" : "default";
          }
        }
      });
    });
  }

  var mapElement = document.getElementById("settlement-map");
  if (mapElement && typeof L !== "undefined") {
    var map = L.map(mapElement, { attributionControl: true });
    YurdMap.base(map);
    // Origins are one layer among several: reports-map-layers.js adds the others.
    var origins = L.layerGroup().addTo(map);
    mapElement.yurdMap = { map: map, origins: origins };
    var largest = data.settlements.reduce(function (most, point) { return Math.max(most, point.households); }, 1);
    var bounds = [];
    data.settlements.forEach(function (point) {
      var marker = L.circleMarker([point.latitude, point.longitude], {
        radius: 4 + 20 * Math.sqrt(point.households / largest),
        color: accent,
        weight: 1,
        fillOpacity: 0.45
      }).addTo(origins);
      var label = document.createElement("span");
      label.textContent = point.name + ": " + point.households;
      if (point.link) {
        var anchor = document.createElement("a");
        anchor.href = point.link;
        anchor.appendChild(label);
        marker.bindPopup(anchor);
      } else {
        marker.bindPopup(label);
      }
      bounds.push([point.latitude, point.longitude]);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 10 }); } else { map.setView([40.2, 45.0], 7); }
  }
})();

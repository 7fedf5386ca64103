/* Heritage map: sites as circle markers coloured by their derived condition. */
(function () {
  "use strict";
  var element = document.getElementById("site-map");
  if (!element || typeof L === "undefined") { return; }
  var map = L.map(element, { preferCanvas: false }).setView([40.2, 45.0], 7);
  L.tileLayer(element.dataset.tiles || "https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18,
    attribution: "&copy; OpenStreetMap contributors"
  }).addTo(map);
  var status = document.getElementById("site-map-status");
  fetch(element.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var bounds = [];
      var renderer = L.svg();
      data.features.forEach(function (feature) {
        var p = feature.properties;
        var latlng = [p.point[1], p.point[0]];
        bounds.push(latlng);
        var marker = L.circleMarker(latlng, {
          renderer: renderer,
          radius: 7,
          color: "#1b1f23",
          weight: 1,
          fillColor: p.colour,
          fillOpacity: 0.9,
          className: "site-marker site-" + p.code + " condition-" + p.condition
        });
        var link = document.createElement("a");
        link.href = p.url;
        link.textContent = p.name + " (" + p.code + ")";
        var popup = document.createElement("div");
        popup.appendChild(link);
        var state = document.createElement("p");
        state.textContent = (element.dataset["label_" + p.condition] || p.condition);
        popup.appendChild(state);
        marker.bindPopup(popup);
        marker.addTo(map);
      });
      if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 }); }
      if (status) { status.textContent = status.dataset.loaded.replace("%(count)s", data.features.length); }
      element.dataset.loaded = "true";
    })
    .catch(function () { if (status) { status.textContent = status.dataset.failed; } });
})();

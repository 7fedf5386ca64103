// Return planning map: one circle per preferred settlement, sized by returning households.
(function () {
  "use strict";
  var element = document.getElementById("returns-map");
  var source = document.getElementById("returns-map-data");
  if (!element || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(element, { scrollWheelZoom: false });
  YurdMap.base(map);
  var bounds = [];
  data.points.forEach(function (point) {
    var popup = document.createElement("div");
    var title = point.url ? document.createElement("a") : document.createElement("strong");
    if (point.url) { title.href = point.url; }
    title.textContent = point.name;
    popup.appendChild(title);
    var line = document.createElement("p");
    line.textContent = data.households_label + ": " + point.households +
      (point.people === null ? "" : " · " + data.people_label + ": " + point.people);
    popup.appendChild(line);
    L.circleMarker([point.lat, point.lng], { radius: 6 + Math.min(20, Math.sqrt(point.households) * 3), weight: 2 })
      .addTo(map).bindPopup(popup);
    bounds.push([point.lat, point.lng]);
  });
  if (bounds.length === 1) { map.setView(bounds[0], 11); } else if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20] }); }
}());

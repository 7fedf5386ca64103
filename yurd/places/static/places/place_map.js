// The place page's map: this place's point and the points of the places within it.
(function () {
  "use strict";
  var element = document.getElementById("place-map");
  var source = document.getElementById("place-map-data");
  if (!element || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(element, { scrollWheelZoom: false });
  if (data.tiles) {
    L.tileLayer(data.tiles, { maxZoom: 18, attribution: "&copy; OpenStreetMap contributors" }).addTo(map);
  }
  var points = [];
  if (data.lat !== null) {
    // A string given to bindPopup is HTML: the name goes in as text.
    var label = document.createElement("span");
    label.textContent = data.name;
    L.marker([data.lat, data.lon], { title: data.name, alt: data.name }).addTo(map).bindPopup(label);
    points.push([data.lat, data.lon]);
  }
  data.children.forEach(function (child) {
    var link = document.createElement("a");
    link.href = "../" + encodeURIComponent(child.url) + "/";
    link.textContent = child.name;
    L.circleMarker([child.lat, child.lon], { radius: 5 }).addTo(map).bindPopup(link);
    points.push([child.lat, child.lon]);
  });
  if (points.length === 1) {
    map.setView(points[0], 12);
  } else {
    map.fitBounds(points, { padding: [20, 20] });
  }
}());

// The place page's map: this place's point and the points of the places within it.
(function () {
  "use strict";
  var element = document.getElementById("place-map");
  var source = document.getElementById("place-map-data");
  if (!element || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(element, { scrollWheelZoom: false });
  YurdMap.base(map);
  var points = [];
  if (data.lat !== null) {
    // A string given to bindPopup is HTML: the name goes in as text.
    var label = document.createElement("span");
    label.textContent = data.name;
    YurdMap.marker([data.lat, data.lon], {
      shape: "diamond", radius: 8, color: "#1b1f23", weight: 1, fillColor: "#1d5f8a", fillOpacity: 1
    }).addTo(map).bindPopup(label);
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
    map.setView(points[0], 9);
  } else {
    map.fitBounds(points, { padding: [20, 20] });
  }
}());

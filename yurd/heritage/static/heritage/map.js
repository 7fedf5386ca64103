/* Heritage map: sites as markers whose colour and shape say their derived condition.
   Data: {columns, sites: [[code, name, longitude, latitude, condition]], colours, shapes, url}.
   Up to a thousand sites are drawn as SVG (each marker a DOM element with its colour);
   more are drawn on one canvas, which stays fast with tens of thousands. */
(function () {
  "use strict";
  var element = document.getElementById("site-map");
  if (!element || typeof L === "undefined") { return; }
  var map = L.map(element).setView([40.2, 45.0], 7);
  YurdMap.base(map);
  var status = document.getElementById("site-map-status");

  function popupFor(site, url) {
    return function () {
      var box = document.createElement("div");
      var link = document.createElement("a");
      link.href = url.replace("CODE", encodeURIComponent(site[0]));
      link.textContent = site[1] + " (" + site[0] + ")";
      box.appendChild(link);
      var state = document.createElement("p");
      state.textContent = element.dataset["label_" + site[4]] || site[4];
      box.appendChild(state);
      return box;
    };
  }

  fetch(element.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      // Timings since navigation start, read by the map benchmark.
      element.dataset.fetchedMs = String(Math.round(performance.now()));
      var renderer = data.sites.length > 1000 ? L.canvas({ padding: 0.2 }) : L.svg();
      var south = 90, west = 180, north = -90, east = -180;
      data.sites.forEach(function (site) {
        var lat = site[3], lng = site[2];
        if (lat < south) { south = lat; } if (lat > north) { north = lat; }
        if (lng < west) { west = lng; } if (lng > east) { east = lng; }
        YurdMap.marker([lat, lng], {
          renderer: renderer,
          radius: 7,
          color: "#1b1f23",
          weight: 1,
          fillColor: data.colours[site[4]] || data.colours.unknown,
          shape: data.shapes[site[4]] || data.shapes.unknown,
          fillOpacity: 0.9,
          className: "site-marker site-" + site[0] + " condition-" + site[4]
        }).bindPopup(popupFor(site, data.url)).addTo(map);
      });
      if (data.sites.length) { map.fitBounds([[south, west], [north, east]], { padding: [20, 20], maxZoom: 14 }); }
      if (status) { status.textContent = status.dataset.loaded.replace("%(count)s", data.sites.length); }
      element.dataset.count = String(data.sites.length);
      element.dataset.drawnMs = String(Math.round(performance.now()));
      element.dataset.loaded = "true";
    })
    .catch(function () { if (status) { status.textContent = status.dataset.failed; } });
})();

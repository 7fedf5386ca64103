/* Extra layers of the dashboard map, loaded after the page from reports:map_layers:
   heritage sites coloured by condition and return intentions per preferred settlement,
   with a layer control and a legend. Each feature opens the records behind it when
   the server sent a link for this user (analysts get counts only). */
(function () {
  "use strict";
  var element = document.getElementById("settlement-map");
  if (!element || !element.dataset.layersUrl || typeof L === "undefined" || !element.yurdMap) { return; }
  var map = element.yurdMap.map;
  var legendElement = document.getElementById("map-legend");
  var INTENTIONS_COLOUR = "#6f42c1";
  var accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#1d5f8a";

  function text(tag, content) {
    var node = document.createElement(tag);
    node.textContent = content;
    return node;
  }

  function popup(title, lines, template, code, openLabel) {
    var box = document.createElement("div");
    box.appendChild(text("strong", title));
    lines.forEach(function (line) { box.appendChild(text("div", line)); });
    if (template) {
      var anchor = text("a", openLabel);
      anchor.href = template.replace("CODE", encodeURIComponent(code));
      box.appendChild(anchor);
    }
    return box;
  }

  function legendItem(list, colour, label, square, shape) {
    var item = document.createElement("li");
    var swatch;
    if (shape) {
      swatch = YurdMap.swatch(colour, shape);
    } else {
      swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour;
      if (square) { swatch.style.borderRadius = "0"; }
    }
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(" " + label));
    list.appendChild(item);
  }

  function build(data) {
    var overlays = {};
    overlays[data.origins_title] = element.yurdMap.origins;
    var renderer = L.canvas({ padding: 0.5 });
    var bounds = [];
    var legend = document.createElement("ul");
    legend.className = "map-legend";
    legend.setAttribute("aria-label", data.legend_title);
    legendItem(legend, accent, data.origins_title);

    var heritage = data.layers.heritage;
    if (heritage) {
      var colours = {};
      var labels = {};
      var shapes = {};
      heritage.legend.forEach(function (entry) {
        colours[entry.state] = entry.colour; labels[entry.state] = entry.label; shapes[entry.state] = entry.shape;
      });
      var sites = L.layerGroup();
      heritage.sites.forEach(function (row) {
        var code = row[0], name = row[1], longitude = row[2], latitude = row[3], state = row[4];
        var colour = colours[state] || colours.unknown;
        YurdMap.marker([latitude, longitude], {
          renderer: renderer, radius: 6, color: "#222", weight: 1, fillColor: colour, fillOpacity: 0.9,
          shape: shapes[state] || shapes.unknown
        }).bindPopup(popup(name + " (" + code + ")", [labels[state] || state], heritage.url, code, data.open_label))
          .addTo(sites);
        bounds.push([latitude, longitude]);
      });
      sites.addTo(map);
      overlays[heritage.title] = sites;
      var heading = document.createElement("li");
      heading.appendChild(text("strong", heritage.title + ":"));
      legend.appendChild(heading);
      heritage.legend.forEach(function (entry) { legendItem(legend, entry.colour, entry.label, false, entry.shape); });
    }

    var intentions = data.layers.intentions;
    if (intentions) {
      var group = L.layerGroup();
      var largest = intentions.settlements.reduce(function (most, point) { return Math.max(most, point.households); }, 1);
      intentions.settlements.forEach(function (point) {
        var lines = [point.households + " " + intentions.households_label];
        if (point.people !== undefined) { lines.push(point.people + " " + intentions.people_label); }
        (point.counts || []).forEach(function (pair) { lines.push(pair[0] + ": " + pair[1]); });
        L.circleMarker([point.latitude, point.longitude], {
          radius: 6 + 18 * Math.sqrt(point.households / largest),
          color: INTENTIONS_COLOUR, weight: 2, fill: false
        }).bindPopup(popup(point.name, lines, intentions.url, point.code, data.open_label)).addTo(group);
        bounds.push([point.latitude, point.longitude]);
      });
      group.addTo(map);
      overlays[intentions.title] = group;
      legendItem(legend, INTENTIONS_COLOUR, intentions.title, true);
    }

    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    if (legendElement) { legendElement.replaceChildren(legend); }
    // Frame every feature, not only the settlements of origin the page drew first.
    element.yurdMap.origins.eachLayer(function (marker) { bounds.push(marker.getLatLng()); });
    if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 10, animate: false }); }
    element.dataset.layersState = "ready";
  }

  fetch(element.dataset.layersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(build)
    .catch(function () { element.dataset.layersState = "failed"; });
})();

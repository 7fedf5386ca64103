/* Yurd's maps, shared by every page with a map.

   YurdMap.base(map): the base layer. With no tile server configured (the default) it is
   the offline base map shipped under static/maps/region.geojson (Natural Earth country
   and province boundaries, lakes, main rivers and towns); with YURD_MAP_TILES set, that
   tile server. The map's element says which in data-base-layer ("local" or "tiles").
   YurdMap.marker(latlng, options): a circle marker whose `shape` option draws a circle,
   square, diamond, triangle, inverted triangle, cross, pentagon or hexagon, on SVG and
   canvas renderers alike: conditions differ by shape as well as by colour.
   YurdMap.swatch(colour, shape): the same shape as a small SVG for a legend. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var script = document.currentScript;
  var config = {
    base: script ? script.dataset.base : "",
    tiles: script ? script.dataset.tiles : "",
    tilesAttribution: script ? script.dataset.tilesAttribution : "",
    baseAttribution: script ? script.dataset.baseAttribution : ""
  };
  var language = (document.documentElement.lang || "en").slice(0, 2);
  var STYLES = {
    country: { color: "#5b6470", weight: 1.4, fillColor: "#f4f1ea", fillOpacity: 1 },
    province: { color: "#9aa1aa", weight: 0.7, dashArray: "3 3", fill: false },
    lake: { color: "#6b9ec4", weight: 0.8, fillColor: "#bcd7ec", fillOpacity: 1 },
    river: { color: "#6b9ec4", weight: 1.2, fill: false }
  };

  function townLabel(properties) {
    return properties[language] || properties.en;
  }

  function base(map) {
    var element = map.getContainer();
    if (config.tiles) {
      L.tileLayer(config.tiles, { maxZoom: 18, attribution: config.tilesAttribution }).addTo(map);
      element.dataset.baseLayer = "tiles";
      return;
    }
    element.dataset.baseLayer = "local";
    element.classList.add("yurd-offline-map");
    if (map.attributionControl) { map.attributionControl.addAttribution(config.baseAttribution); }
    // Below the markers (overlayPane is 400) and never in the way of a click.
    var pane = map.createPane("yurdBase");
    pane.style.zIndex = 250;
    pane.style.pointerEvents = "none";
    fetch(config.base, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var box = data.bbox;  // the region the file covers: water where no land is drawn (the Caspian)
        var renderer = L.canvas({ pane: "yurdBase" });
        L.rectangle([[box[1], box[0]], [box[3], box[2]]], {
          pane: "yurdBase", renderer: renderer, interactive: false, stroke: false, fillColor: "#d6e6f2", fillOpacity: 1
        }).addTo(map);
        L.geoJSON(data, {
          pane: "yurdBase",
          interactive: false,
          // Polygons and lines on their own canvas: hundreds of paths cost one element.
          renderer: renderer,
          style: function (feature) { return STYLES[feature.properties.layer] || {}; },
          pointToLayer: function (feature, latlng) {
            var rank = feature.properties.rank;
            return L.circleMarker(latlng, {
              pane: "yurdBase", radius: rank === 1 ? 3.5 : 2.5, color: "#3d4550", weight: 1,
              fillColor: "#ffffff", fillOpacity: 1, interactive: false
            }).bindTooltip(townLabel(feature.properties), {
              permanent: true, direction: "right", offset: [4, 0],
              className: "yurd-town yurd-town-" + rank
            });
          }
        }).addTo(map);
        element.dataset.baseLoaded = "true";
      });
    function townDetail() { element.classList.toggle("yurd-zoomed-in", map.getZoom() >= 8); }
    map.on("zoomend", townDetail);
    map.whenReady(townDetail);
  }

  // Unit outlines of each shape, scaled by the marker's radius.
  function polygon(sides, rotation) {
    var points = [];
    for (var i = 0; i < sides; i++) {
      var angle = rotation + i * 2 * Math.PI / sides;
      points.push([Math.sin(angle), -Math.cos(angle)]);
    }
    return points;
  }
  var SHAPES = {
    square: [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]],
    diamond: [[0, -1.15], [1.15, 0], [0, 1.15], [-1.15, 0]],
    triangle: [[0, -1.2], [1.1, 0.8], [-1.1, 0.8]],
    "triangle-down": [[0, 1.2], [1.1, -0.8], [-1.1, -0.8]],
    cross: [[-0.35, -1], [0.35, -1], [0.35, -0.35], [1, -0.35], [1, 0.35], [0.35, 0.35], [0.35, 1],
            [-0.35, 1], [-0.35, 0.35], [-1, 0.35], [-1, -0.35], [-0.35, -0.35]],
    pentagon: polygon(5, 0),
    hexagon: polygon(6, Math.PI / 6)
  };

  function outline(shape, x, y, radius) {
    return SHAPES[shape].map(function (point) { return [x + point[0] * radius, y + point[1] * radius]; });
  }

  L.SVG.include({
    _updateShape: function (layer) {
      var p = layer._point;
      var d = outline(layer.options.shape, p.x, p.y, layer._radius).map(function (point, index) {
        return (index ? "L" : "M") + point[0] + " " + point[1];
      }).join("") + "z";
      this._setPath(layer, d);
    }
  });
  L.Canvas.include({
    _updateShape: function (layer) {
      if (!this._drawing || layer._empty()) { return; }
      var p = layer._point, ctx = this._ctx;
      this._layers[L.stamp(layer)] = layer;
      ctx.beginPath();
      outline(layer.options.shape, p.x, p.y, layer._radius).forEach(function (point, index) {
        if (index) { ctx.lineTo(point[0], point[1]); } else { ctx.moveTo(point[0], point[1]); }
      });
      ctx.closePath();
      this._fillStroke(ctx, layer);
    }
  });
  var ShapeMarker = L.CircleMarker.extend({
    options: { shape: "circle" },
    _updatePath: function () {
      if (SHAPES[this.options.shape]) { this._renderer._updateShape(this); } else { this._renderer._updateCircle(this); }
    }
  });

  function swatch(colour, shape) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "-8 -8 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "legend-shape");
    var path;
    if (SHAPES[shape]) {
      path = document.createElementNS(ns, "path");
      path.setAttribute("d", outline(shape, 0, 0, 6).map(function (point, index) {
        return (index ? "L" : "M") + point[0].toFixed(2) + " " + point[1].toFixed(2);
      }).join("") + "z");
    } else {
      path = document.createElementNS(ns, "circle");
      path.setAttribute("r", "6");
    }
    path.setAttribute("fill", colour);
    path.setAttribute("stroke", "#1b1f23");
    svg.appendChild(path);
    return svg;
  }

  window.YurdMap = {
    base: base,
    marker: function (latlng, options) { return new ShapeMarker(latlng, options); },
    swatch: swatch,
    shapes: Object.keys(SHAPES)
  };
}());

/* Lägesbild map page: draws the layers from the data endpoint with the vendored Leaflet.
   Tiles are optional: when they fail to load, the boundary and all layers still show.
   Every text shown comes from the page's data-msg-* attributes, translated by the template; counts use the
   -one/-other pair with "{n}" for the number. */
(function () {
  "use strict";
  var el = document.getElementById("situation-map");
  if (!el || !window.L) { return; }
  var statusEl = document.getElementById("map-status");
  var msg = el.dataset;
  function count(key, n) {
    var template = n === 1 ? msg[key + "One"] : msg[key + "Other"];
    return template.replace("{n}", String(n));
  }
  var COLORS = {
    hot_99: "#b2182b", hot_95: "#d6604d", hot_90: "#f4a582", not_significant: "#9e9e9e",
    cold_90: "#92c5de", cold_95: "#4393c3", cold_99: "#2166ac"
  };

  /* A cell's hexagon as sent by the server (queries._ring): the first corner in 1e-5 degrees, then each
     corner's difference from the one before; a running sum from zero gives the corners back. */
  function decodeRing(ring) {
    var latlngs = [], lat = 0, lon = 0;
    for (var j = 0; j < ring.length; j += 2) {
      lat += ring[j];
      lon += ring[j + 1];
      latlngs.push([lat / 1e5, lon / 1e5]);
    }
    return latlngs;
  }

  function setStatus(text) { if (statusEl) { statusEl.textContent = text; } }

  function popup(rows, link) {
    var box = document.createElement("div");
    rows.forEach(function (row) {
      if (!row[1]) { return; }
      var p = document.createElement("p");
      var label = document.createElement("strong");
      label.textContent = row[0] + ": ";
      p.appendChild(label);
      p.appendChild(document.createTextNode(row[1]));
      box.appendChild(p);
    });
    if (link) {
      var a = document.createElement("a");
      a.href = link[0];
      a.textContent = link[1];
      box.appendChild(a);
    }
    return box;
  }

  el.textContent = "";
  var map = L.map(el, { scrollWheelZoom: false }).setView([57.89, 11.85], 10);
  var tileErrors = 0;
  L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 18 })
    .on("tileerror", function () {
      tileErrors += 1;
      if (tileErrors === 1) {
        el.classList.add("tiles-unavailable");
      }
    })
    .addTo(map);

  function draw(data) {
    var layers = data.layers;
    var boundary = L.geoJSON(layers.boundary, {
      style: { color: "#003e61", weight: 2, fill: false }, interactive: false
    }).addTo(map);
    var start = el.dataset.bbox ? el.dataset.bbox.split(",").map(Number) : null;
    if (start && start.length === 4) {
      map.fitBounds([[start[1], start[0]], [start[3], start[2]]]);
    } else if (boundary.getLayers().length) { map.fitBounds(boundary.getBounds()); }

    incidents = L.layerGroup().addTo(map);
    var hotspots = L.layerGroup();
    var spots = layers.hotspots;
    spots.h3.forEach(function (cell, i) {
      var cls = spots["class"][i];
      var rows = [];
      if (spots.name[i]) { rows.push([msg.msgArea, spots.name[i]]); }
      rows.push([msg.msgClass, spots.labels[cls]],
                [msg.msgCount, spots.count[i] === null ? msg.msgFew : String(spots.count[i])]);
      L.polygon(decodeRing(spots.ring[i]), { color: COLORS[cls], weight: 1, fillColor: COLORS[cls], fillOpacity: 0.55 })
        .bindPopup(popup(rows))
        .addTo(hotspots);
    });
    hotspots.addTo(map);

    var places = L.geoJSON(layers.places, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 6, color: "#0b3a5c", weight: 2, fillColor: "#2a81cb", fillOpacity: 0.9 });
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(popup([[msg.msgPlace, f.properties.name], [msg.msgKind, f.properties.place_kind],
                               [msg.msgDistrict, f.properties.district]]));
      }
    }).addTo(map);

    var cameras = L.geoJSON(layers.cameras, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 7, color: "#1b1b1b", weight: 2, fillColor: "#6b3fa0", fillOpacity: 0.9 });
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(popup([[msg.msgCamera, f.properties.name], [msg.msgStatus, f.properties.status],
                               [msg.msgPurpose, f.properties.purpose]]));
      }
    }).addTo(map);

    var overlays = {};
    overlays[msg.msgLayerHotspots] = hotspots;
    overlays[msg.msgLayerIncidents] = incidents;
    overlays[msg.msgLayerPlaces] = places;
    overlays[msg.msgLayerCameras] = cameras;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);

    meta = data.meta;
    el.setAttribute("data-loaded", "true");
    map.on("moveend", loadView);
    loadView();
  }

  /* Incidents of the current view: counts per H3 cell far out, single incidents close in (karta/vy.json).
     The table link and the filter form carry the same view, so the table lists what the map shows. */
  var meta = null;
  var incidents = null;
  var viewRequest = 0;
  var tableLinks = document.querySelectorAll("a[data-follows-map]");
  var viewBase = el.dataset.viewEndpoint;

  function withView(url, bbox, zoom) {
    var u = new URL(url, window.location.href);
    u.searchParams.set("bbox", bbox);
    u.searchParams.set("zoom", String(zoom));
    return u.pathname + u.search;
  }

  function drawCells(data) {
    data.cells.n.forEach(function (n, i) {
      L.polygon(decodeRing(data.cells.ring[i]), { color: "#3d2600", weight: 1, fillColor: "#e08214", fillOpacity: 0.35 })
        .bindTooltip(String(n), { permanent: false })
        .bindPopup(popup([[msg.msgCount, String(n)]]))
        .addTo(incidents);
    });
  }

  function drawPoints(data) {
    var f = {};
    data.points.fields.forEach(function (name, i) { f[name] = i; });
    var look = data.lookup;
    function name(kind, row) { var k = row[f[kind]]; return k === null ? "" : look[kind][k]; }
    var incidentUrl = el.dataset.incidentUrl;
    data.points.rows.forEach(function (row) {
      L.circleMarker([row[f.lat], row[f.lon]], { radius: 5, color: "#3d2600", weight: 1, fillColor: "#e08214", fillOpacity: 0.85 })
        .bindPopup(popup([[msg.msgCategory, name("category", row)], [msg.msgWhen, row[f.when]],
                          [msg.msgMunicipality, name("municipality", row)], [msg.msgPlace, name("place", row)],
                          [msg.msgSource, name("source", row)]],
                         [incidentUrl.replace("/0/", "/" + row[f.id] + "/"), msg.msgShowIncident]))
        .addTo(incidents);
    });
  }

  function loadView() {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
    var zoom = map.getZoom();
    tableLinks.forEach(function (a) { a.href = withView(a.getAttribute("href"), bbox, zoom); });
    var bboxInput = document.querySelector("form.filters input[name=bbox]");
    var zoomInput = document.querySelector("form.filters input[name=zoom]");
    if (bboxInput) { bboxInput.value = bbox; }
    if (zoomInput) { zoomInput.value = String(zoom); }
    var mine = ++viewRequest;
    el.setAttribute("data-view-loaded", "false");
    fetch(withView(viewBase, bbox, zoom), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (mine !== viewRequest) { return; }
        incidents.clearLayers();
        if (data.mode === "points") { drawPoints(data); } else { drawCells(data); }
        var text = data.mode === "points" ? count("msgOnMap", data.in_view) : count("msgInCells", data.in_view);
        if (data.hidden_cells) { text += "; " + count("msgHidden", data.hidden_cells); }
        if (meta && meta.not_on_map) { text += "; " + count("msgNotOnMap", meta.not_on_map); }
        if (tileErrors) { text += ". " + msg.msgNoTiles; }
        setStatus(text + ".");
        el.setAttribute("data-mode", data.mode);
        el.setAttribute("data-in-view", String(data.in_view));
        el.setAttribute("data-view-loaded", "true");
      })
      .catch(function () { if (mine === viewRequest) { setStatus(msg.msgFailed); } });
  }

  setStatus(msg.msgLoading);
  fetch(el.dataset.endpoint, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(draw)
    .catch(function () { setStatus(msg.msgFailed); });
}());

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
    if (boundary.getLayers().length) { map.fitBounds(boundary.getBounds()); }

    var hotspots = L.geoJSON(layers.hotspots, {
      style: function (f) {
        var significant = f.properties["class"] !== "not_significant";
        return { color: COLORS[f.properties["class"]], weight: significant ? 1 : 0.5,
                 fillColor: COLORS[f.properties["class"]], fillOpacity: significant ? 0.55 : 0.08 };
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(popup([[msg.msgClass, f.properties.label], [msg.msgCount, String(f.properties.count)],
                               ["Gi* z", String(f.properties.z)]]));
      }
    }).addTo(map);

    var incidentUrl = el.dataset.incidentUrl;
    var incidents = L.geoJSON(layers.incidents, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 4, color: "#3d2600", weight: 1, fillColor: "#e08214", fillOpacity: 0.85 });
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(popup([[msg.msgCategory, p.category], [msg.msgWhen, p.when], [msg.msgMunicipality, p.municipality], [msg.msgPlace, p.place],
                               [msg.msgSource, p.source], [msg.msgDescription, p.description]],
                              [incidentUrl.replace("/0/", "/" + p.id + "/"), msg.msgShowIncident]));
      }
    }).addTo(map);

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

    var meta = data.meta;
    var text = count("msgOnMap", meta.on_map);
    if (meta.not_on_map) { text += "; " + count("msgNotOnMap", meta.not_on_map); }
    if (meta.truncated) { text += " (" + msg.msgTruncated + ")"; }
    if (tileErrors) { text += ". " + msg.msgNoTiles; }
    setStatus(text + ".");
    el.setAttribute("data-loaded", "true");
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

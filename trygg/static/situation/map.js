/* Lägesbild map page: draws the layers from the data endpoint with the vendored Leaflet.
   Tiles are optional: when they fail to load, the boundary and all layers still show. */
(function () {
  "use strict";
  var el = document.getElementById("situation-map");
  if (!el || !window.L) { return; }
  var statusEl = document.getElementById("map-status");
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
        layer.bindPopup(popup([["Klass", f.properties.label], ["Antal händelser", String(f.properties.count)],
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
        layer.bindPopup(popup([["Kategori", p.category], ["När", p.when], ["Plats", p.place], ["Källa", p.source],
                               ["Beskrivning", p.description]],
                              [incidentUrl.replace("/0/", "/" + p.id + "/"), "Visa händelsen"]));
      }
    }).addTo(map);

    var places = L.geoJSON(layers.places, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 6, color: "#0b3a5c", weight: 2, fillColor: "#2a81cb", fillOpacity: 0.9 });
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(popup([["Plats", f.properties.name], ["Typ", f.properties.place_kind],
                               ["Kommundel", f.properties.district]]));
      }
    }).addTo(map);

    var cameras = L.geoJSON(layers.cameras, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 7, color: "#1b1b1b", weight: 2, fillColor: "#6b3fa0", fillOpacity: 0.9 });
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(popup([["Trygghetskamera", f.properties.name], ["Status", f.properties.status],
                               ["Ändamål", f.properties.purpose]]));
      }
    }).addTo(map);

    L.control.layers(null, {
      "Hotspots": hotspots, "Händelser": incidents, "Platser": places, "Kameror": cameras
    }, { collapsed: false }).addTo(map);

    var meta = data.meta;
    var text = meta.on_map + " händelser visas på kartan";
    if (meta.not_on_map) { text += "; " + meta.not_on_map + " saknar exakt läge och visas bara i tabellen"; }
    if (meta.truncated) { text += " (urvalet är för stort, begränsa perioden för att se alla)"; }
    if (tileErrors) { text += ". Bakgrundskartan kunde inte laddas"; }
    setStatus(text + ".");
    el.setAttribute("data-loaded", "true");
  }

  setStatus("Hämtar kartdata …");
  fetch(el.dataset.endpoint, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(draw)
    .catch(function () { setStatus("Kartdata kunde inte hämtas. Använd tabellvyn."); });
}());

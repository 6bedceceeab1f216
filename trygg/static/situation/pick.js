/* Incident form: click in the map to set the point (latitude/longitude fields), or pick a named place.
   Without JavaScript the form works with the place list and the coordinate fields. Texts come from the
   map element's data-msg-* attributes (translated by the template). */
(function () {
  "use strict";
  var el = document.getElementById("pick-map");
  if (!el || !window.L) { return; }
  var latInput = document.getElementById(el.dataset.latInput);
  var lonInput = document.getElementById(el.dataset.lonInput);
  var placeSelect = document.getElementById("id_place");
  var statusEl = document.getElementById("pick-status");
  var msg = el.dataset;
  var marker = null;
  var placeCoords = {};

  function setStatus(text) { if (statusEl) { statusEl.textContent = text; } }

  function setPoint(latlng, announce) {
    if (marker) { marker.setLatLng(latlng); } else {
      marker = L.circleMarker(latlng, { radius: 8, color: "#1b1b1b", weight: 2, fillColor: "#e08214", fillOpacity: 0.9 }).addTo(map);
    }
    if (announce) {
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      setStatus(msg.msgPoint.replace("{lat}", latInput.value).replace("{lon}", lonInput.value));
    }
  }

  el.textContent = "";
  var map = L.map(el, { scrollWheelZoom: false }).setView([57.89, 11.85], 10);
  L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 18 })
    .on("tileerror", function () { el.classList.add("tiles-unavailable"); })
    .addTo(map);
  map.on("click", function (e) { setPoint(e.latlng, true); });

  fetch(el.dataset.endpoint, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
    .then(function (data) {
      var boundary = L.geoJSON({ type: "FeatureCollection", features: data.features.filter(function (f) {
        return f.properties.kind === "municipality";
      }) }, { style: { color: "#003e61", weight: 2, fill: false }, interactive: false }).addTo(map);
      if (boundary.getLayers().length) { map.fitBounds(boundary.getBounds()); }
      data.features.forEach(function (f) {
        if (f.properties.kind !== "place") { return; }
        var latlng = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
        placeCoords[String(f.properties.id)] = latlng;
        L.marker(latlng, { alt: f.properties.name, title: f.properties.name, keyboard: false })
          .on("click", function () {
            if (placeSelect) { placeSelect.value = String(f.properties.id); }
            setStatus(msg.msgPlace.replace("{name}", f.properties.name));
          })
          .addTo(map);
      });
      if (latInput.value && lonInput.value) {
        var ll = L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value));
        setPoint(ll, false);
        map.setView(ll, 15);
      }
      el.setAttribute("data-loaded", "true");
    })
    .catch(function () { setStatus(msg.msgFailed); });

  if (placeSelect) {
    placeSelect.addEventListener("change", function () {
      var ll = placeCoords[placeSelect.value];
      if (ll) { map.setView(ll, 15); }
    });
  }
}());

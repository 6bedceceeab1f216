/* Incident form: click in the map to set the point (latitude/longitude fields), or pick a named place.
   Without JavaScript the form works with the place list and the coordinate fields. Texts come from the
   map element's data-msg-* attributes (translated by the template). */
(function () {
  "use strict";
  /* Search as you type among the named places: filters the place list and chooses the first match. */
  (function () {
    var box = document.querySelector(".place-search");
    var input = document.getElementById("place-search");
    var select = document.getElementById("id_place");
    var status = document.getElementById("pick-status");
    if (!box || !input || !select) { return; }
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var first = null, n = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) { return; }
        var text = option.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !match;
        if (match) { n += 1; if (!first) { first = option; } }
      });
      if (!words.length) { return; }
      if (first && (select.selectedIndex < 1 || select.options[select.selectedIndex].hidden)) {
        select.value = first.value;
        select.dispatchEvent(new Event("change"));
      }
      if (status) {
        var chosen = first ? select.options[select.selectedIndex].textContent : "";
        status.textContent = first
          ? input.dataset.msgFound.replace("{n}", String(n)) + " " + input.dataset.msgChosen.replace("{name}", chosen)
          : input.dataset.msgNone;
      }
    });
  }());

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

/* Incident page: a small, static map of where it happened (the coordinates are also in the text above). */
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  if (!el || !window.L) { return; }
  var ll = L.latLng(parseFloat(el.dataset.lat), parseFloat(el.dataset.lon));
  var map = L.map(el, { scrollWheelZoom: false, dragging: false, keyboard: false, zoomControl: false }).setView(ll, 15);
  L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 18 })
    .on("tileerror", function () { el.classList.add("tiles-unavailable"); })
    .addTo(map);
  L.circleMarker(ll, { radius: 9, color: "#1b1b1b", weight: 2, fillColor: "#e08214", fillOpacity: 0.9 }).addTo(map);
}());

/* Hex map of the dialog (staff overview and public results): cells from the page's json_script, shaded
   by count. The same figures are always in a table on the page. */
(function () {
  "use strict";
  var el = document.getElementById("hex-map");
  var dataEl = document.getElementById("hex-data");
  if (!el || !dataEl || !window.L) { return; }
  var data = JSON.parse(dataEl.textContent);
  var areaEl = document.getElementById("area-data");
  el.textContent = "";
  var map = L.map(el, { scrollWheelZoom: false }).setView([57.89, 11.85], 11);
  L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: el.dataset.tileAttribution || "© OpenStreetMap" })
    .on("tileerror", function () { el.classList.add("tiles-unavailable"); }).addTo(map);
  var max = 1;
  data.features.forEach(function (f) { max = Math.max(max, f.properties.count); });
  var layer = L.geoJSON(data, {
    style: function (f) {
      var t = f.properties.count / max;
      return { color: "#7a1f00", weight: 1, fillColor: "#d6604d", fillOpacity: 0.25 + 0.6 * t };
    },
    onEachFeature: function (f, l) { l.bindTooltip(el.dataset.msgCount + ": " + f.properties.count); }
  }).addTo(map);
  var bounds = layer.getBounds();
  if (areaEl) {
    var area = L.geoJSON(JSON.parse(areaEl.textContent), { style: { color: "#003e61", weight: 2, fill: false }, interactive: false }).addTo(map);
    if (!bounds.isValid()) { bounds = area.getBounds(); }
  }
  if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 14 }); }
})();

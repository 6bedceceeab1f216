/* Public dialog form: filter the list of places as you type, and (optionally) mark a point in the map.
   Everything works without this script: the list is a plain select, and words describe a place. */
(function () {
  "use strict";
  // Searchable list: hide options that do not match the text typed.
  var search = document.querySelector(".place-search");
  var select = document.getElementById("id_place");
  var filter = document.getElementById("place-filter");
  var filterStatus = document.getElementById("place-filter-status");
  if (search && select && filter) {
    search.hidden = false;
    var options = Array.prototype.slice.call(select.options);
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      var shown = 0;
      options.forEach(function (o) {
        var match = !o.value || !q || o.text.toLowerCase().indexOf(q) !== -1;
        o.hidden = !match;
        o.disabled = !match;
        if (match && o.value) { shown += 1; }
      });
      var message = q ? shown + (shown === 1 ? " plats matchar." : " platser matchar.") : "";
      var first = options.filter(function (o) { return o.value && !o.hidden; })[0];
      // Nothing chosen yet (or the choice no longer matches): choose the first match, and say so, so that a
      // keyboard or screen-reader user does not have to open the list to know what will be sent.
      var current = select.selectedIndex < 0 ? null : select.options[select.selectedIndex];
      if (q && first && (!current || !current.value || current.hidden)) { select.value = first.value; }
      if (q && select.value) { message += " Vald plats: " + select.options[select.selectedIndex].text + "."; }
      filterStatus.textContent = message;
    });
  }

  // Map: click to mark a point inside the campaign's area.
  var el = document.getElementById("pick-map");
  if (!el || !window.L) { return; }
  var latInput = document.getElementById(el.dataset.latInput);
  var lonInput = document.getElementById(el.dataset.lonInput);
  var status = document.getElementById("pick-status");
  var clear = document.getElementById("pick-clear");
  var areaEl = document.getElementById("area-data");
  var area = areaEl ? JSON.parse(areaEl.textContent) : null;
  var marker = null;
  var details = el.closest("details");
  var map = null;

  function inside(lat, lng, geom) {
    if (!geom) { return true; }
    var polys = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
    return polys.some(function (rings) {
      var hit = false;
      var ring = rings[0];
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
        if (((yi > lat) !== (yj > lat)) && (lng < (xj - xi) * (lat - yi) / (yj - yi) + xi)) { hit = !hit; }
      }
      return hit;
    });
  }

  function setPoint(latlng) {
    if (!inside(latlng.lat, latlng.lng, area)) { status.textContent = el.dataset.msgOutside; return; }
    if (marker) { marker.setLatLng(latlng); } else {
      marker = L.circleMarker(latlng, { radius: 9, color: "#1b1b1b", weight: 2, fillColor: "#e08214", fillOpacity: 0.9 }).addTo(map);
    }
    latInput.value = latlng.lat.toFixed(6);
    lonInput.value = latlng.lng.toFixed(6);
    status.textContent = el.dataset.msgPoint;
    clear.hidden = false;
  }

  function init() {
    if (map) { return; }
    el.textContent = "";
    map = L.map(el, { scrollWheelZoom: false, keyboard: true }).setView([57.89, 11.85], 10);
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: "© OpenStreetMap" })
      .on("tileerror", function () { el.classList.add("tiles-unavailable"); }).addTo(map);
    if (area) {
      var layer = L.geoJSON(area, { style: { color: "#003e61", weight: 2, fill: false }, interactive: false }).addTo(map);
      map.fitBounds(layer.getBounds());
    }
    map.on("click", function (e) { setPoint(e.latlng); });
    if (latInput.value && lonInput.value) {
      var ll = L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value));
      setPoint(ll);
      map.setView(ll, 15);
    }
  }
  if (details) {
    details.addEventListener("toggle", function () { if (details.open) { init(); map.invalidateSize(); } });
    if (details.open) { init(); }
  } else { init(); }
  clear.addEventListener("click", function () {
    latInput.value = ""; lonInput.value = "";
    if (marker) { map.removeLayer(marker); marker = null; }
    status.textContent = el.dataset.msgCleared;
    clear.hidden = true;
  });
})();

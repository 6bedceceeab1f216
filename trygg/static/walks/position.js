/* "Use my position": fills the latitude/longitude fields from the phone's location. Without JavaScript (or
   without permission) the place list and the coordinate fields still work; the button stays hidden. Texts
   come from the button's data-msg-* attributes (translated by the template). */
(function () {
  "use strict";
  var button = document.getElementById("use-position");
  if (!button || !navigator.geolocation) { return; }
  var statusEl = document.getElementById("position-status");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  function say(text) { if (statusEl) { statusEl.textContent = text; } }
  button.hidden = false;
  button.addEventListener("click", function () {
    say(button.dataset.msgWait);
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
      say(button.dataset.msgOk.replace("{lat}", lat.value).replace("{lon}", lon.value)
        .replace("{acc}", String(Math.round(pos.coords.accuracy || 0))));
    }, function () { say(button.dataset.msgFailed); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
}());
/* The optional map sits in a closed <details>: Leaflet measures its size on window resize. */
(function () {
  "use strict";
  var details = document.querySelector(".map-details");
  if (details) {
    details.addEventListener("toggle", function () { window.dispatchEvent(new Event("resize")); });
  }
}());

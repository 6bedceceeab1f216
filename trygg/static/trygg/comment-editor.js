// A small toolbar (Fet, Kursiv, Punktlista) over textareas marked data-comment-editor, so nobody types the
// safe Markdown subset by hand. Progressive enhancement: without JavaScript the textarea works as before.
(function () {
  "use strict";

  function wrap(area, marker) {
    var start = area.selectionStart, end = area.selectionEnd, text = area.value;
    var chosen = text.slice(start, end) || "text";
    area.value = text.slice(0, start) + marker + chosen + marker + text.slice(end);
    area.setSelectionRange(start + marker.length, start + marker.length + chosen.length);
  }

  function list(area) {
    var text = area.value, start = text.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = area.selectionEnd, stop = text.indexOf("\n", end);
    if (stop === -1) stop = text.length;
    var lines = text.slice(start, stop).split("\n").map(function (line) {
      return /^- /.test(line) ? line : "- " + line;
    });
    var block = lines.join("\n");
    area.value = text.slice(0, start) + block + text.slice(stop);
    area.setSelectionRange(start, start + block.length);
  }

  var BUTTONS = [
    ["Fet", "B", function (a) { wrap(a, "**"); }],
    ["Kursiv", "I", function (a) { wrap(a, "*"); }],
    ["Punktlista", "•", list],
  ];

  function enhance(area) {
    if (area.dataset.editorReady) return;
    area.dataset.editorReady = "1";
    var bar = document.createElement("div");
    bar.className = "toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Formatera texten");
    bar.setAttribute("aria-controls", area.id);
    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[1];
      button.setAttribute("aria-label", spec[0]);
      button.title = spec[0];
      if (spec[1] === "B") button.style.fontWeight = "700";
      if (spec[1] === "I") button.style.fontStyle = "italic";
      button.addEventListener("click", function () {
        spec[2](area);
        area.focus();
        area.dispatchEvent(new Event("input", { bubbles: true }));
      });
      bar.appendChild(button);
    });
    area.parentNode.insertBefore(bar, area);
    area.parentNode.classList.add("comment-editor");
  }

  function scan(root) {
    (root || document).querySelectorAll("textarea[data-comment-editor]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();

// The desk list reloads itself so it shows who came in at the doors, unless someone is searching or typing.
(function () {
  "use strict";
  var form = document.querySelector("form.desk-search[data-refresh]");
  if (!form) { return; }
  var seconds = parseInt(form.getAttribute("data-refresh"), 10);
  var box = form.querySelector("input[type=search]");
  if (!seconds || !box) { return; }
  window.setInterval(function () {
    var busy = box.value !== "" || document.activeElement === box || document.activeElement.tagName === "BUTTON";
    if (!busy && document.visibilityState === "visible") { window.location.reload(); }
  }, seconds * 1000);
})();

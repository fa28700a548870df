// Device scanner page: take the device token from the link's fragment (#device=...), keep it on this
// device for the meeting, and take it out of the address bar. scanner.js then sends it as a bearer token.
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) { return; }
  var key = "eventapp-device:" + root.getAttribute("data-slug");
  var match = /(?:^#|&)device=([A-Za-z0-9_\-]+)/.exec(window.location.hash || "");
  var token = "";
  try {
    if (match) { window.localStorage.setItem(key, match[1]); }
    token = window.localStorage.getItem(key) || "";
  } catch (e) { token = match ? match[1] : ""; }
  if (match && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  if (token) {
    root.setAttribute("data-bearer", token);
  } else {
    var missing = document.getElementById("device-missing");
    if (missing) { missing.hidden = false; }
  }
})();

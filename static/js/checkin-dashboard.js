// Live attendance: refresh the counts from getCheckinStatus every few seconds.
(function () {
  "use strict";
  var root = document.getElementById("attendance");
  if (!root) { return; }
  var url = root.getAttribute("data-status-url");
  var words = new window.Messages(root);

  function fill(tbodyId, rows) {
    var body = document.getElementById(tbodyId);
    body.textContent = "";
    if (!rows.length) {
      var tr = document.createElement("tr");
      var td = document.createElement("td");
      td.colSpan = 2;
      td.textContent = words.t("nobody", "Nobody yet.");
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      [row[0], String(row[1])].forEach(function (text) {
        var td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        fill("by-checkpoint", data.inside.map(function (i) { return [i.label, i.count]; }));
        fill("by-category", Object.entries(data.by_category));
        fill("by-delegation", Object.entries(data.by_delegation));
        document.getElementById("scan-total").textContent = String(data.scans);
      })
      .catch(function () { /* keep the last figures; try again next tick */ });
  }
  setInterval(refresh, 5000);
})();

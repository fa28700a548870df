// Agenda pages: switch the times between the meeting's time zone and the viewer's own.
// Every <time> carries its instant in UTC (ISO 8601); the server renders the meeting's wall time.
(function () {
  "use strict";

  // The viewer's zone in words in the page's language ("Japan Standard Time"), its IANA name otherwise.
  function viewerZone(unknown) {
    try {
      var parts = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { timeZoneName: "long" })
        .formatToParts(new Date());
      for (var i = 0; i < parts.length; i++) {
        if (parts[i].type === "timeZoneName") { return parts[i].value; }
      }
      return Intl.DateTimeFormat().resolvedOptions().timeZone || unknown;
    } catch (e) {
      return unknown;
    }
  }

  function format(date, zone) {
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (zone) { options.timeZone = zone; }
    return new Intl.DateTimeFormat(undefined, options).format(date);
  }

  function zoneAbbr(date, zone) {
    var options = { timeZoneName: "short" };
    if (zone) { options.timeZone = zone; }
    var parts = new Intl.DateTimeFormat(undefined, options).formatToParts(date);
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].type === "timeZoneName") { return parts[i].value; }
    }
    return "";
  }

  function init() {
    var button = document.querySelector("[data-zone-toggle]");
    if (!button || !window.Intl) { return; }
    var meetingZone = button.getAttribute("data-meeting-zone");
    // The zone in words ("New York time (EDT)"); its IANA name only where no words were given.
    var meetingZoneName = button.getAttribute("data-meeting-zone-name") || meetingZone;
    // The words come translated in data- attributes of the button (English when absent).
    var localZone = viewerZone(button.getAttribute("data-your-zone") || "your time zone");
    var yourTime = button.getAttribute("data-your-time") || "{zone} (your time)";
    var localLabel = button.textContent;
    var meetingLabel = button.getAttribute("data-meeting-label");
    var showingLocal = false;
    button.hidden = false;

    function render() {
      var zone = showingLocal ? undefined : meetingZone;
      document.querySelectorAll("time[datetime][data-format='time']").forEach(function (el) {
        el.textContent = format(new Date(el.getAttribute("datetime")), zone);
      });
      document.querySelectorAll("[data-zone-label]").forEach(function (el) {
        var first = el.parentNode.querySelector("time[datetime]");
        if (first) { el.textContent = zoneAbbr(new Date(first.getAttribute("datetime")), zone); }
        el.title = showingLocal ? localZone : meetingZoneName;
      });
      document.querySelectorAll("[data-zone-name]").forEach(function (el) {
        el.textContent = showingLocal ? yourTime.split("{zone}").join(localZone) : meetingZoneName;
      });
      button.textContent = showingLocal ? meetingLabel : localLabel;
      button.setAttribute("aria-pressed", showingLocal ? "true" : "false");
    }

    button.addEventListener("click", function () {
      showingLocal = !showingLocal;
      render();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

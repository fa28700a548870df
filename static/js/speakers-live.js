/* The chair's console and the room display of a speakers' list.
 *
 * Both read the list's state from the server every second or two and run the count-down
 * themselves between reads, so a few seconds without network change nothing on screen. The
 * console also sends the chair's actions: each is shown at once (applied to the last state the
 * server gave, by the same rules as the server), queued, and sent in order with the moment it was
 * pressed and a key, until the server has it; the server's answer then replaces the guess.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-speakers-live]");
  if (!root) return;
  var stateUrl = root.getAttribute("data-state-url");
  var actUrl = root.getAttribute("data-act-url");
  var csrf = root.getAttribute("data-csrf");
  var isConsole = Boolean(actUrl);
  var words = {
    nobody: root.getAttribute("data-t-nobody"),
    finished: root.getAttribute("data-t-finished"),
    noneWaiting: root.getAttribute("data-t-none-waiting"),
    online: root.getAttribute("data-t-online"),
    offline: root.getAttribute("data-t-offline"),
    queued: root.getAttribute("data-t-queued"),
    over: root.getAttribute("data-t-over"),
    remaining: root.getAttribute("data-t-remaining")
  };

  var server = JSON.parse(document.getElementById("speakers-initial").getAttribute("data-state"));
  var offset = server.now - Date.now(); // server clock minus this device's clock
  // Actions not yet answered survive a reload of the page (their keys make a second sending harmless).
  var storageKey = "speakers-queue:" + stateUrl;
  var queue = loadQueue();
  var sending = false;
  var online = true;
  var shown = null;
  var lastSpokenMinute = null;

  function loadQueue() {
    if (!isConsole) return [];
    try { return JSON.parse(window.sessionStorage.getItem(storageKey) || "[]"); } catch (e) { return []; }
  }
  function saveQueue() {
    try { window.sessionStorage.setItem(storageKey, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
  }

  function $(selector) { return root.querySelector(selector); }
  function serverNow() { return Date.now() + offset; }
  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }

  // The server's rules (eventapp/speakers/console.py), for showing an action before it has answered.
  function resetClock(s) { s.clock = { running: false, started_at: null, used_ms: 0 }; }
  function stopClock(s, at) {
    if (s.clock.running) {
      s.clock.used_ms += Math.max(0, at - s.clock.started_at);
      s.clock.running = false;
      s.clock.started_at = null;
    }
  }
  function callNext(s) { resetClock(s); s.current = s.waiting.shift() || null; }
  function toEnd(s, person) { person.started = false; person.absent += 1; s.waiting.push(person); }

  function applyLocal(state, item) {
    var s = copy(state);
    var current = s.current;
    if (item.action === "start" && current && !s.clock.running) {
      s.clock.running = true;
      s.clock.started_at = item.at;
      current.started = true;
    } else if (item.action === "pause") {
      stopClock(s, item.at);
    } else if (item.action === "next") {
      if (current) {
        stopClock(s, item.at);
        if (current.started) { s.spoken += 1; } else { toEnd(s, current); }
      }
      callNext(s);
    } else if (item.action === "absent" && current) {
      toEnd(s, current);
      callNext(s);
    }
    return s;
  }

  function expected() { return queue.reduce(applyLocal, server); }

  function remaining(s) {
    var used = s.clock.used_ms;
    if (s.clock.running) used += Math.max(0, serverNow() - s.clock.started_at);
    return s.limit_ms - used;
  }

  function clockText(ms) {
    var seconds = ms > 0 ? Math.ceil(ms / 1000) : Math.floor(-ms / 1000);
    var text = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    return ms > 0 ? text : (seconds ? "−" + text : "0:00");
  }

  function listItems(element, people) {
    element.textContent = "";
    people.forEach(function (p) {
      var li = document.createElement("li");
      var member = document.createElement("strong");
      member.textContent = p.member;
      var level = document.createElement("span");
      level.className = "muted";
      level.textContent = " · " + p.level;
      li.appendChild(member);
      li.appendChild(document.createTextNode(" · " + p.name));
      li.appendChild(level);
      element.appendChild(li);
    });
    if (!people.length) {
      var empty = document.createElement("li");
      empty.className = "muted empty";
      empty.textContent = words.noneWaiting;
      element.appendChild(empty);
    }
  }

  function renderTick() {
    var s = shown;
    var countdown = $("[data-countdown]");
    if (!s.current) {
      countdown.textContent = "–:––";
      countdown.className = countdown.className.replace(/ ?is-(amber|red|running)/g, "");
      return;
    }
    var left = remaining(s);
    countdown.textContent = clockText(left);
    countdown.classList.toggle("is-amber", left > 0 && left <= 30000);
    countdown.classList.toggle("is-red", left <= 0);
    countdown.classList.toggle("is-running", s.clock.running);
    countdown.setAttribute("aria-label", clockText(left) + " " + (left > 0 ? words.remaining : words.over));
    var spoken = $("[data-countdown-spoken]");
    var minute = left > 0 ? Math.ceil(left / 60000) : 0;
    if (spoken && s.clock.running && minute !== lastSpokenMinute) {
      lastSpokenMinute = minute;
      spoken.textContent = clockText(left) + " " + (left > 0 ? words.remaining : words.over);
    }
  }

  function render() {
    shown = expected();
    var s = shown;
    var current = s.current;
    $("[data-current-name]").textContent = current ? current.name : (s.spoken && !s.waiting.length ? words.finished : words.nobody);
    $("[data-current-member]").textContent = current ? current.member : "";
    var level = $("[data-current-level]");
    if (level) level.textContent = current ? current.level : "";
    var next = $("[data-next]");
    if (next) listItems(next, s.waiting.slice(0, 2));
    var all = $("[data-queue]");
    if (all) listItems(all, s.waiting);
    var nextOne = $("[data-next-one]");
    if (nextOne) nextOne.textContent = s.waiting.length ? s.waiting[0].member : "—";
    var spokenCount = $("[data-spoken-count]");
    if (spokenCount) spokenCount.textContent = String(s.spoken);
    if (isConsole) {
      button("start").disabled = !current || s.clock.running;
      button("pause").disabled = !s.clock.running;
      button("next").disabled = !current && !s.waiting.length;
      button("absent").disabled = !current;
    }
    renderConnection();
    renderTick();
  }

  function button(action) { return root.querySelector('[data-action="' + action + '"]'); }

  function renderConnection() {
    var element = $("[data-connection]");
    if (!element) return;
    var text = online ? (isConsole ? words.online : "") : words.offline;
    if (queue.length) text += " · " + words.queued.replace("{n}", String(queue.length));
    if (element.textContent !== text) element.textContent = text;
    element.classList.toggle("is-offline", !online);
  }

  function accept(state, sentAt) {
    if (state.version < server.version) return; // an older answer overtaken by a newer one
    if (sentAt) offset = state.now - (sentAt + Date.now()) / 2;
    server = state;
  }

  function send() {
    if (sending || !queue.length) return;
    sending = true;
    var item = queue[0];
    var sentAt = Date.now();
    fetch(actUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(item)
    }).then(function (response) {
      if (response.status >= 500) throw new Error("HTTP " + response.status);
      return response.json().then(function (body) { return { status: response.status, body: body }; }, function () {
        return { status: response.status, body: null };
      });
    }).then(function (answer) {
      queue.shift(); // answered: applied, refused by the rules (409) or refused outright
      saveQueue();
      online = true;
      if (answer.body) accept(answer.status === 200 ? answer.body : answer.body.state || server, sentAt);
      sending = false;
      render();
      send();
    }, function () {
      online = false;
      sending = false;
      renderConnection();
      window.setTimeout(send, 1000);
    });
  }

  function act(action) {
    queue.push({ action: action, key: newKey(), at: Math.round(serverNow()) });
    saveQueue();
    render();
    send();
  }

  function poll() {
    var sentAt = Date.now();
    fetch(stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (state) {
        online = true;
        if (!sending) accept(state, sentAt); // while an action is on its way, its answer is the news
        render();
      }, function () {
        online = false;
        renderConnection();
      })
      .then(function () { window.setTimeout(poll, isConsole ? 2000 : 1000); });
  }

  if (isConsole) {
    root.querySelector("[data-console-actions]").addEventListener("submit", function (event) {
      event.preventDefault();
      var pressed = event.submitter && event.submitter.getAttribute("data-action");
      if (pressed) act(pressed);
    });
  }
  render();
  send();
  window.setInterval(renderTick, 200);
  window.setTimeout(poll, 1000);
})();

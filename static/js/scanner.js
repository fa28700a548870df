// Scanner page: camera (jsQR) or keyboard-wedge input -> scanBadge; offline, or when the server
// is slow to answer, judge locally and queue the scan in IndexedDB with its nonce, then sync. The
// server records a nonce once, so a scan synced twice (or sent late and synced) is still one scan.
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) { return; }
  var Offline = window.CheckinOffline;
  var slug = root.getAttribute("data-slug");
  var scanUrl = root.getAttribute("data-scan-url");
  var bundleUrl = root.getAttribute("data-bundle-url");
  var photoUrl = root.getAttribute("data-photo-url");
  var csrf = root.getAttribute("data-csrf");
  // A device without an account (the device scanner page) sends its token instead of a session.
  var bearer = root.getAttribute("data-bearer") || "";
  function authHeaders(headers) {
    if (bearer) { headers.Authorization = "Bearer " + bearer; } else { headers["X-CSRFToken"] = csrf; }
    return headers;
  }
  // A revoked device: its scans are refused from now on, and the page says so.
  function markRefused(status) {
    if (!bearer || status !== 401) { return; }
    root.setAttribute("data-refused", "1");
    var note = $("device-refused");
    if (note) { note.hidden = false; }
  }
  var verifier = null;
  var syncing = false;
  var words = new window.Messages(root);

  // How long the door waits for the server before it shows this device's own verdict; the page may
  // set data-server-patience-ms (tests do, to pin one path).
  var SERVER_PATIENCE_MS = 500;
  var CHECKED_HERE = {
    offline: "Checked on this device — offline; will sync",
    slow: "Checked on this device — the server is slow; will sync",
    unanswered: "Checked on this device — the server did not answer; will sync"
  };

  var STYLES = {
    admitted: ["result-ok", "✓", "Admitted"],
    exited: ["result-ok", "✓", "Exit recorded"],
    already_inside: ["result-warn", "!", "Already inside"],
    not_allowed: ["result-bad", "✕", "Not allowed here"],
    not_approved: ["result-bad", "✕", "Not approved"],
    revoked: ["result-bad", "✕", "Badge revoked"],
    invalid: ["result-bad", "✕", "Invalid badge"],
    wrong_meeting: ["result-bad", "✕", "Another meeting's badge"]
  };

  function $(id) { return document.getElementById(id); }

  // --- sound ------------------------------------------------------------------------------------
  var audio = null;
  function beep(kind) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tones = kind === "result-ok" ? [[880, 0.12]] : kind === "result-warn" ? [[660, 0.1], [660, 0.1]] : [[220, 0.45]];
      var t = audio.currentTime;
      tones.forEach(function (tone) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.frequency.value = tone[0];
        osc.type = "square";
        gain.gain.value = 0.08;
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(t);
        osc.stop(t + tone[1]);
        t += tone[1] + 0.08;
      });
    } catch (e) { /* no audio: the colour, icon and text still say it */ }
  }

  // --- display ----------------------------------------------------------------------------------
  // `source` says who judged: "server", or why this device did ("offline", "slow", "unanswered").
  // `quiet` skips the sound (a late server answer that agrees with what was already shown).
  function show(answer, nonce, source, quiet) {
    var style = STYLES[answer.result] || STYLES.invalid;
    var box = $("result");
    box.className = "scan-result " + style[0];
    box.setAttribute("data-result", answer.result);
    box.setAttribute("data-nonce", nonce || "");
    box.setAttribute("data-source", source);
    $("result-icon").textContent = style[1];
    $("result-title").textContent = words.t("results." + answer.result, style[2]);
    $("result-source").textContent = source === "server" ? "" : words.t("checked_here." + source, CHECKED_HERE[source]);
    $("result-reason").textContent = answer.reason || "";
    var p = answer.participant;
    $("result-name").textContent = p ? p.name : "";
    $("result-category").textContent = p ? [p.category_label, p.organisation].filter(Boolean).join(" · ") : "";
    var img = $("result-photo");
    if (p && p.has_photo && navigator.onLine && photoUrl) {
      img.src = photoUrl.replace(/\/0$/, "/" + p.id);
      img.alt = words.t("photo_of", "Photo of {name}", { name: p.name });
      img.hidden = false;
    } else {
      img.hidden = true;
      img.removeAttribute("src");
    }
    if (!quiet) { beep(style[0]); }
  }

  function setNet() {
    var online = navigator.onLine;
    var el = $("net-state");
    el.textContent = online ? words.t("online", "Online") : words.t("offline", "Offline: scans are queued");
    el.className = "tag " + (online ? "tag-open" : "tag-closed");
  }

  function refreshQueueCount() {
    return Offline.Queue.count().then(function (n) {
      var el = $("queue-state");
      el.setAttribute("data-count", String(n));
      el.textContent = words.n("waiting", n, "{n} scan waiting to sync", "{n} scans waiting to sync");
    });
  }

  // --- bundle -----------------------------------------------------------------------------------
  // The device page is public and lists only the entrance; the bundle names the meeting's checkpoints.
  function fillCheckpoints(list) {
    var select = $("checkpoint");
    var chosen = select.value;
    select.textContent = "";
    list.forEach(function (cp) {
      var option = document.createElement("option");
      option.value = cp.value;
      option.textContent = cp.label;
      option.selected = cp.value === chosen;
      select.appendChild(option);
    });
  }

  function useBundle(bundle, fresh) {
    verifier = new Offline.Verifier(bundle, words);
    if (bearer && bundle.checkpoints) { fillCheckpoints(bundle.checkpoints); }
    var size = words.n("offline_list", bundle.roster.length, "Offline list: {n} person", "Offline list: {n} people");
    $("bundle-state").textContent = fresh ? size : size + " " + words.t("saved_copy", "(saved copy)");
    $("bundle-state").setAttribute("data-ready", "1");
  }

  function loadBundle() {
    return fetch(bundleUrl, { credentials: "same-origin", headers: authHeaders({ Accept: "application/json" }) })
      .then(function (r) {
        markRefused(r.status);
        return r.ok ? r.json() : Promise.reject(new Error("bundle " + r.status));
      })
      .then(function (bundle) {
        useBundle(bundle, true);
        return Offline.Bundles.save(slug, bundle);
      })
      .catch(function () {
        return Offline.Bundles.load(slug).then(function (saved) {
          if (saved) { useBundle(saved, false); }
        });
      });
  }

  // --- scanning ---------------------------------------------------------------------------------
  function post(item) {
    return fetch(scanUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: authHeaders({ "Content-Type": "application/json", Accept: "application/json" }),
      body: JSON.stringify(item)
    }).then(function (r) { markRefused(r.status); return r; });
  }

  // Whether the server is done with a scan it answered with this status: recorded (or recorded
  // before: same nonce), or refused for good. 401/403 (sign in again), 429 and 5xx mean later.
  function settled(status) {
    if (status >= 200 && status < 300) { return true; }
    return status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429;
  }

  function patience() {
    var set = parseInt(root.getAttribute("data-server-patience-ms") || "", 10);
    return isFinite(set) && set >= 0 ? set : SERVER_PATIENCE_MS;
  }

  function remember(answer, checkpoint, direction) {
    if (!verifier || !answer.participant) { return; }
    var inside = verifier.inside[checkpoint] || (verifier.inside[checkpoint] = new Set());
    if (answer.result === "admitted" || answer.result === "already_inside") { inside.add(answer.participant.id); }
    if (answer.result === "exited") { inside.delete(answer.participant.id); }
  }

  function queueLocally(item, why) {
    var judged = verifier
      ? verifier.judge(item.token, item.checkpoint, item.direction)
      : Promise.resolve({ result: "invalid", reason: words.t("no_offline_list", "No offline list on this device yet."), participant: null });
    return judged.then(function (answer) {
      // Refusals are queued too: the server keeps every scan, and judges again on sync.
      return Offline.Queue.add(item).then(function () {
        show(answer, item.nonce, why);
        return refreshQueueCount();
      });
    });
  }

  function showServerAnswer(r, body, item) {
    if (!r.ok) {
      show({ result: "invalid", reason: body.error || words.t("refused", "Request refused."), participant: null }, item.nonce, "server");
      return;
    }
    remember(body, item.checkpoint, item.direction);
    show(body, item.nonce, "server");
  }

  // The server answered after this device had judged and queued the scan. The request itself was
  // the scan, so the queued copy goes (were it synced first, the nonce keeps it one scan). The
  // screen takes the server's verdict only while it still shows this scan; a newer one stays.
  function lateAnswer(r, body, item, queued) {
    return queued.then(function () {
      if (!settled(r.status)) { return null; }
      return Offline.Queue.remove(item.nonce).then(refreshQueueCount).then(function () {
        if (!r.ok) { return; }
        remember(body, item.checkpoint, item.direction);
        var box = $("result");
        if (box.getAttribute("data-nonce") !== item.nonce) { return; }
        show(body, item.nonce, "server", box.getAttribute("data-result") === body.result);
      });
    });
  }

  function handle(token) {
    token = String(token || "").trim();
    if (!token) { return Promise.resolve(); }
    var direction = document.querySelector("input[name=direction]:checked").value;
    var item = {
      token: token,
      checkpoint: $("checkpoint").value,
      direction: direction,
      nonce: (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/-/g, ""),
      scanned_at: new Date().toISOString()
    };
    if (!navigator.onLine) { return queueLocally(item, "offline"); }
    return new Promise(function (resolve) {
      var queued = null; // set once this device has judged the scan: the server's answer is then late
      var answered = false;
      function judgeHere(why) {
        queued = queueLocally(item, why);
        queued.then(resolve, resolve);
      }
      // Without an offline list this device has no verdict worth showing: wait for the server.
      var timer = setTimeout(function () {
        if (!answered && verifier) { judgeHere("slow"); }
      }, patience());
      post(item)
        .then(function (r) {
          // 429 (rate limit): judged here and queued like a scan made offline, sent again later.
          if (r.status >= 500 || r.status === 0 || r.status === 429) { throw new Error("server " + r.status); }
          return r.json().then(function (body) {
            if (queued) { return lateAnswer(r, body, item, queued); }
            answered = true;
            clearTimeout(timer);
            showServerAnswer(r, body, item);
            resolve();
          });
        })
        .catch(function () {
          clearTimeout(timer);
          // Already judged here and queued: the sync sends it again.
          if (!queued && !answered) { judgeHere("unanswered"); }
        });
    });
  }

  function sync() {
    if (syncing || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    return Offline.Queue.all()
      .then(function (items) {
        return items.reduce(function (chain, item) {
          return chain.then(function () {
            return post(item).then(function (r) {
              if (settled(r.status)) { return Offline.Queue.remove(item.nonce); }
              throw new Error("sync stopped: " + r.status);
            });
          });
        }, Promise.resolve());
      })
      .catch(function () { /* try again on the next tick or when the network returns */ })
      .then(function () {
        syncing = false;
        root.setAttribute("data-synced-at", String(Date.now()));
        return refreshQueueCount();
      });
  }

  // --- camera -----------------------------------------------------------------------------------
  var stream = null;
  var lastCode = "";
  var lastAt = 0;
  function tick() {
    if (!stream) { return; }
    var video = $("camera-video");
    var canvas = $("camera-canvas");
    if (video.readyState === video.HAVE_ENOUGH_DATA && window.jsQR) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var frame = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      if (code && code.data && (code.data !== lastCode || now - lastAt > 3000)) {
        lastCode = code.data;
        lastAt = now;
        handle(code.data);
      }
    }
    requestAnimationFrame(tick);
  }

  function toggleCamera() {
    var button = $("camera-toggle");
    var video = $("camera-video");
    if (stream) {
      stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      video.hidden = true;
      button.textContent = words.t("start_camera", "Start camera");
      return;
    }
    if (!window.jsQR) {
      $("camera-note").textContent = words.t("no_decoder", "The QR decoder is not installed (run make vendor); use the code field.");
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        button.textContent = words.t("stop_camera", "Stop camera");
        return video.play().then(function () { requestAnimationFrame(tick); });
      })
      .catch(function (e) { $("camera-note").textContent = words.t("camera_unavailable", "Camera unavailable: {error}", { error: e.message }); });
  }

  // --- wiring -----------------------------------------------------------------------------------
  $("wedge-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("wedge");
    var value = input.value;
    input.value = "";
    handle(value).then(function () { input.focus(); });
  });
  $("camera-toggle").addEventListener("click", toggleCamera);
  $("sync-now").addEventListener("click", function () { sync(); });
  window.addEventListener("online", function () { setNet(); sync(); loadBundle(); });
  window.addEventListener("offline", setNet);
  setNet();
  refreshQueueCount();
  loadBundle().then(sync);
  setInterval(function () { sync(); }, 15000);
  $("wedge").focus();
})();

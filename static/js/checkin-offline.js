// Offline support for the scanner: the bundle (public key, revocations, roster) and the scan
// queue live in IndexedDB; badge signatures are checked in the browser with WebCrypto Ed25519.
(function (global) {
  "use strict";

  var DB_NAME = "eventapp-scanner";
  var DB_VERSION = 1;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var TOKEN_BYTES = 79;
  var PAYLOAD_BYTES = 15;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("queue")) { db.createObjectStore("queue", { keyPath: "nonce" }); }
        if (!db.objectStoreNames.contains("bundles")) { db.createObjectStore("bundles", { keyPath: "slug" }); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  var Queue = {
    add: function (item) { return tx("queue", "readwrite", function (s) { s.put(item); }); },
    all: function () { return tx("queue", "readonly", function (s) { return s.getAll(); }); },
    remove: function (nonce) { return tx("queue", "readwrite", function (s) { s.delete(nonce); }); },
    count: function () { return tx("queue", "readonly", function (s) { return s.count(); }); }
  };

  var Bundles = {
    save: function (slug, bundle) {
      return tx("bundles", "readwrite", function (s) { s.put({ slug: slug, bundle: bundle, saved: Date.now() }); });
    },
    load: function (slug) {
      return tx("bundles", "readonly", function (s) { return s.get(slug); }).then(function (row) {
        return row ? row.bundle : null;
      });
    }
  };

  function base32Decode(text) {
    var raw = String(text || "").trim();
    // As the server does: refuse non-ASCII before upper-casing ("ı" and "ſ" would become I and S).
    if (/[^\x00-\x7F]/.test(raw)) { return null; }
    var value = raw.toUpperCase();
    var bits = 0;
    var acc = 0;
    var out = [];
    for (var i = 0; i < value.length; i++) {
      var v = ALPHABET.indexOf(value[i]);
      if (v < 0) { return null; }
      acc = (acc << 5) | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out.push((acc >> bits) & 0xff);
      }
      acc &= (1 << bits) - 1;
    }
    if (acc !== 0) { return null; } // leftover bits must be zero (canonical encoding)
    return new Uint8Array(out);
  }

  // Badges print the token's 79 bytes as one 191-digit number (a smaller QR code); older ones as base32.
  function decimalDecode(text) {
    var value = String(text || "").trim();
    if (!/^[0-9]{191}$/.test(value)) { return null; }
    var n = BigInt(value);
    var out = new Uint8Array(TOKEN_BYTES);
    for (var i = TOKEN_BYTES - 1; i >= 0; i--) {
      out[i] = Number(n & BigInt(255));
      n = n >> BigInt(8);
    }
    return n === BigInt(0) ? out : null;
  }

  function base64UrlDecode(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // A verifier for one bundle: judge(token, checkpoint, direction) -> Promise<{result, reason, participant}>.
  // `words` (a window.Messages) gives the reasons in the page's language; English without it.
  function Verifier(bundle, words) {
    this.bundle = bundle;
    this.words = words || null;
    this.revoked = new Set(bundle.revoked || []);
    this.roster = new Map((bundle.roster || []).map(function (p) { return [p.token_id, p]; }));
    this.inside = {};
    var self = this;
    Object.keys(bundle.inside || {}).forEach(function (cp) { self.inside[cp] = new Set(bundle.inside[cp]); });
    this.keyPromise = crypto.subtle
      .importKey("raw", base64UrlDecode(bundle.public_key), { name: "Ed25519" }, false, ["verify"])
      .catch(function () { return null; });
  }

  Verifier.prototype.judge = function (token, checkpoint, direction) {
    var self = this;
    var say = function (key, english) { return self.words ? self.words.t("reasons." + key, english) : english; };
    var raw = decimalDecode(token) || base32Decode(token);
    var refuse = function (result, reason, participant) {
      return Promise.resolve({ result: result, reason: reason, participant: participant || null });
    };
    if (!raw || raw.length !== TOKEN_BYTES || raw[0] !== 1) { return refuse("invalid", say("not_a_badge", "This is not a badge of the network.")); }
    var meetingId = ((raw[1] << 24) >>> 0) + (raw[2] << 16) + (raw[3] << 8) + raw[4];
    if (meetingId !== self.bundle.meeting.id) { return refuse("wrong_meeting", say("other_meeting", "This badge is for another meeting.")); }
    return self.keyPromise.then(function (key) {
      if (!key) { return { result: "invalid", reason: say("no_signature_check", "This device cannot check signatures offline."), participant: null }; }
      return crypto.subtle
        .verify({ name: "Ed25519" }, key, raw.slice(PAYLOAD_BYTES), raw.slice(0, PAYLOAD_BYTES))
        .then(function (ok) {
          if (!ok) { return { result: "invalid", reason: say("bad_signature", "The badge's signature does not check out."), participant: null }; }
          var tokenId = hex(raw.slice(5, PAYLOAD_BYTES));
          if (self.revoked.has(tokenId)) { return { result: "revoked", reason: say("replaced", "This badge was replaced; ask for the new one."), participant: null }; }
          var person = self.roster.get(tokenId);
          if (!person) { return { result: "not_approved", reason: say("not_on_list", "Not on this device's list; check when back online."), participant: null }; }
          var inside = self.inside[checkpoint] || (self.inside[checkpoint] = new Set());
          if (direction === "out") {
            inside.delete(person.id);
            return { result: "exited", reason: "", participant: person };
          }
          var session = (self.bundle.sessions || {})[checkpoint];
          if (session && session.access === "delegations" && !person.delegation) {
            return { result: "not_allowed", reason: say("delegations_only", "Members' delegations only."), participant: person };
          }
          if (session && session.access === "invitation" && person.sessions.indexOf(session.id) < 0) {
            return { result: "not_allowed", reason: say("invitation_only", "By invitation only."), participant: person };
          }
          if (inside.has(person.id)) { return { result: "already_inside", reason: say("already_scanned", "Already scanned in here."), participant: person }; }
          inside.add(person.id);
          return { result: "admitted", reason: "", participant: person };
        });
    });
  };

  global.CheckinOffline = {
    Queue: Queue, Bundles: Bundles, Verifier: Verifier, base32Decode: base32Decode, decimalDecode: decimalDecode
  };
})(window);

// Words for the page scripts, in the page's language: the server puts them in a data-i18n
// attribute (JSON); each lookup names the English text to show when a word is missing.
(function (global) {
  "use strict";

  function Messages(element) {
    var raw = element ? element.getAttribute("data-i18n") : null;
    try { this.data = raw ? JSON.parse(raw) : {}; } catch (e) { this.data = {}; }
    this.lang = document.documentElement.lang || "en";
  }

  function lookup(data, key) {
    return key.split(".").reduce(function (node, part) {
      return node && typeof node === "object" ? node[part] : undefined;
    }, data);
  }

  // t("results.admitted", "Admitted"); t("photo_of", "Photo of {name}", {name: "Ana"})
  Messages.prototype.t = function (key, fallback, values) {
    var text = lookup(this.data, key);
    if (typeof text !== "string" || !text) { text = fallback; }
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  };

  // n("waiting", 3, "{n} scan waiting to sync", "{n} scans waiting to sync")
  Messages.prototype.n = function (key, count, one, other) {
    var forms = lookup(this.data, key);
    var text = null;
    if (forms && typeof forms === "object") {
      var category = "other";
      try { category = new Intl.PluralRules(this.lang).select(count); } catch (e) { /* keep "other" */ }
      text = forms[category] || forms.other || null;
    }
    if (!text) { text = count === 1 ? one : other; }
    return text.split("{n}").join(String(count));
  };

  global.Messages = Messages;
})(window);

/* Business Espoo chat widget, part 1 of 3: options, storage, colours, DOM helpers.
 * GET /widget.js serves parts 1-3 in one function with the configuration filled in
 * (bot/widget.py). One tag adds a chat button and window to any page:
 *   <script src="https://WEB-APP/widget.js" defer data-lang="sv" data-title="..." data-color="#005a9e"></script>
 * Options (all optional): data-lang (else the page's lang), data-title, data-color (hex),
 * data-text-color (hex; used only when it has enough contrast on data-color).
 * Every text is put into the page with textContent or text nodes: nothing is parsed as HTML.
 * The function around them is strict and begins with /static/links.js (BusinessEspooLinks). */
  var CONFIG = /*WIDGET_CONFIG*/null;
  var STORE = "business-espoo-chat:v1:";
  var memory = {};  // storage when localStorage cannot be used
  var script = document.currentScript;
  if (!CONFIG || !script || window.__businessEspooChat) { return; }
  window.__businessEspooChat = true;

  var base = new URL(script.src, location.href);
  var options = script.dataset;
  var pageLang = pickLanguage(options.lang) || pickLanguage(document.documentElement.lang) || CONFIG.defaultLanguage;
  // The widget speaks the conversation's language (the gateway tells it), at first the page's.
  var lang = (load("conversation", null) && pickLanguage(load("language", null))) || pageLang;
  var T = CONFIG.texts[lang];
  var LOCALES = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" };
  var HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
  var WS_URL = (base.protocol === "https:" ? "wss://" : "ws://") + base.host + "/ws?lang=" + pageLang;

  function pickLanguage(value) {
    var code = String(value || "").toLowerCase().split(/[-_]/)[0];
    return CONFIG.languages.indexOf(code) >= 0 ? code : null;
  }

  // ---- storage: conversation token, its language and the outbox survive reloads and navigation ----
  function load(key, fallback) {
    var raw;
    try { raw = localStorage.getItem(STORE + key); } catch (e) { raw = memory[key]; }
    if (raw === null || raw === undefined) { return fallback; }
    try { return JSON.parse(raw); } catch (e) { return fallback; }
  }
  function save(key, value) {
    var raw = JSON.stringify(value);
    try { localStorage.setItem(STORE + key, raw); } catch (e) { memory[key] = raw; }
  }
  function outbox() { var items = load("outbox", []); return Array.isArray(items) ? items : []; }
  function updateOutbox(change) { var items = outbox(); items = change(items) || items; save("outbox", items); return items; }
  function newId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // ---- colours: the accent and a text colour with enough contrast on it ----
  function luminance(hex) {
    if (hex.length === 4) { hex = "#" + hex[1] + hex[1] + hex[2] + hex[2] + hex[3] + hex[3]; }
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function colours() {
    var accent = HEX.test(options.color || "") ? options.color : "#003a70";
    var onAccent = contrast(accent, "#ffffff") >= contrast(accent, "#111111") ? "#ffffff" : "#111111";
    if (HEX.test(options.textColor || "") && contrast(accent, options.textColor) >= 4.5) { onAccent = options.textColor; }
    var ink = contrast(accent, "#ffffff") >= 4.5 ? accent : "#1a1a1a";
    return { accent: accent, onAccent: onAccent, ink: ink };
  }

  // ---- DOM helpers ----
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function srOnly(text) { return el("span", "bec-sr", text); }
  // An answer's own links go through the web app's /go/ (bot/insights/links.py): the label stays the address.
  function appendLinkified(parent, text, links) {
    BusinessEspooLinks.append(parent, text, function (url) {
      var go = BusinessEspooLinks.goPath(links, url);
      return go ? new URL(go, base).href : url;
    }, function (link) { link.appendChild(srOnly(" " + T.opens_new_tab)); });
  }
  function formatTime(seconds) {
    var date = new Date(seconds * 1000);
    var format = { hour: "2-digit", minute: "2-digit" };
    if (date.toDateString() !== new Date().toDateString()) { format.day = "numeric"; format.month = "numeric"; }
    return date.toLocaleString(LOCALES[lang], format);
  }


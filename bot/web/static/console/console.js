// The adviser console's live parts: the queue, the transcript and the reply box.
// Every text from a conversation goes into the page with textContent, never as HTML.
(function () {
  "use strict";
  var configNode = document.getElementById("console-config");
  if (!configNode) { return; }
  var config = JSON.parse(configNode.textContent);
  var T = config.texts || {};

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : m;
    });
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (r.status === 401) { window.location.assign("/console/login?next=" + encodeURIComponent(location.pathname)); }
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      });
  }
  function clock(ts) {
    if (typeof ts !== "number") { return ""; }
    var opts = { timeZone: "Europe/Helsinki", hour: "2-digit", minute: "2-digit", second: "2-digit" };
    return new Date(ts * 1000).toLocaleTimeString(config.lang === "en" ? "en-GB" : config.lang, opts);
  }

  // Heartbeat: an adviser with the console open counts as online.
  setInterval(function () { getJSON("/console/api/ping").catch(function () {}); }, 30000);

  // ---- queue ---------------------------------------------------------------
  function link(href, text) { var a = el("a", "", text); a.href = href; return a; }
  function claimForm(item) {
    var form = el("form", "inline");
    form.method = "post";
    form.action = "/console/queue/" + encodeURIComponent(item.id) + "/claim";
    var csrf = el("input"); csrf.type = "hidden"; csrf.name = "csrf_token"; csrf.value = config.csrf;
    var button = el("button", "", T.claim); button.type = "submit"; button.setAttribute("data-claim", item.id);
    form.appendChild(csrf); form.appendChild(button);
    return form;
  }
  function convUrl(item) { return "/console/conversations/" + encodeURIComponent(item.conversation_id); }
  function topics(item) { return item.topic_labels.length ? item.topic_labels.join(", ") : "–"; }
  // The conversation's name as _name.html renders it: first question, then language, start and id.
  function nameCell(item, linked) {
    var box = el("div", "conv");
    box.appendChild(linked ? link(convUrl(item), item.name.question) : el("span", "conv-q", item.name.question));
    box.appendChild(document.createTextNode("\n"));
    var meta = el("span", "meta", item.name.meta + " · ");
    meta.appendChild(el("span", "conv-id", item.name.id_text));
    box.appendChild(meta);
    return box;
  }
  var COLUMNS = {
    live: function (i) { return [nameCell(i, true), topics(i), i.reason_text, i.waiting_text, claimForm(i)]; },
    contact: function (i) { return [nameCell(i, true), i.company, i.topic, i.received, claimForm(i)]; },
    mine: function (i) { return [nameCell(i, false), i.kind_text, i.company || topics(i), i.received, link(convUrl(i), T.open)]; },
    others: function (i) { return [nameCell(i, true), i.adviser, i.kind_text, i.company || topics(i), i.received]; }
  };
  function setCell(cell, value) {
    if (value instanceof Node) {
      // A claim form is kept (so a focused claim button stays); a conversation's name follows its changes.
      var old = cell.firstElementChild;
      if (!old || old.nodeName !== value.nodeName || (value.className === "conv" && !old.isEqualNode(value))) {
        cell.textContent = "";
        cell.appendChild(value);
      }
    } else if (cell.textContent !== String(value)) {
      cell.textContent = String(value);
    }
  }
  // Rows are updated in place by id, so keyboard focus on a claim button survives a refresh.
  function renderTable(name, items) {
    var table = document.getElementById("queue-" + name);
    if (!table) { return; }
    var body = table.tBodies[0];
    var existing = {};
    Array.prototype.forEach.call(body.rows, function (row) { existing[row.getAttribute("data-id")] = row; });
    var wanted = {};
    items.forEach(function (item, index) {
      var key = String(item.id);
      wanted[key] = true;
      var values = COLUMNS[name](item);
      var row = existing[key];
      if (!row) {
        row = document.createElement("tr");
        row.setAttribute("data-id", key);
        values.forEach(function (v, col) {  // each cell labelled by its column, for narrow screens
          var cell = document.createElement("td");
          cell.setAttribute("data-label", table.tHead.rows[0].cells[col].textContent);
          row.appendChild(cell);
        });
      }
      values.forEach(function (value, col) { setCell(row.cells[col], value); });
      if (body.rows[index] !== row) { body.insertBefore(row, body.rows[index] || null); }
    });
    Object.keys(existing).forEach(function (key) { if (!wanted[key]) { body.removeChild(existing[key]); } });
    var count = document.getElementById("count-" + name);
    if (count) { count.textContent = "(" + items.length + ")"; }
    var empty = document.getElementById("empty-" + name);
    if (empty) { empty.hidden = items.length > 0; }
  }
  function pollQueue() {
    getJSON("/console/api/queue").then(function (queue) {
      document.getElementById("queue-error").hidden = true;
      ["live", "contact", "mine", "others"].forEach(function (name) { renderTable(name, queue[name] || []); });
    }).catch(function () {
      document.getElementById("queue-error").hidden = false;
    }).then(function () { setTimeout(pollQueue, 3000); });
  }
  if (config.page === "queue") { setTimeout(pollQueue, 3000); }

  // ---- transcript ------------------------------------------------------------
  function transcriptItem(item) {
    var li, who;
    if (item.type === "user") {
      li = el("li", "item user" + (item.external ? " system" : ""));
      who = item.external ? fill(T.triggered, { intent: item.intent_label }) : T.who_user;
    } else if (item.type === "bot") {
      li = el("li", "item " + (item.adviser ? "adviser" : "bot"));
      who = item.adviser ? fill(T.who_adviser, { name: item.adviser }) : T.who_bot;
    } else if (item.type === "lookup") {
      li = el("li", "item lookup");
      who = fill(T.lookup, { name: item.name });
    } else {
      li = el("li", "item event");
      who = T["event_" + item.type] || item.type;
    }
    li.setAttribute("data-i", String(item.i));
    li.appendChild(el("span", "who", who));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", "when", clock(item.ts)));
    if ((item.type === "user" && !item.external) || item.type === "bot") {
      li.appendChild(el("p", "text", item.text));
    }
    if (item.type === "user" && !item.external) {
      var nlu = item.intent ? fill(T.understood, { intent: item.intent_label, confidence: item.confidence }) : T.understood_none;
      li.appendChild(el("p", "nlu", (item.pressed ? T.pressed_button + " · " : "") + nlu));
    }
    if (item.type === "bot" && item.buttons && item.buttons.length) {
      var ul = el("ul", "buttons");
      item.buttons.forEach(function (b) { ul.appendChild(el("li", "", b.title)); });
      li.appendChild(ul);
    }
    if (item.type === "lookup" && item.slots && item.slots.length) {
      var slots = el("ul", "slots");
      item.slots.forEach(function (s) {
        var row = el("li");
        row.appendChild(el("code", "", s.name));
        row.appendChild(document.createTextNode(" = " + s.value));
        slots.appendChild(row);
      });
      li.appendChild(slots);
    }
    return li;
  }
  var transcript = document.getElementById("transcript");
  var polling = false;
  function pollTranscript(once) {
    if (polling) { return; }
    polling = true;
    var cursor = Number(transcript.getAttribute("data-cursor"));
    var cid = transcript.getAttribute("data-cid");
    getJSON("/console/api/conversations/" + encodeURIComponent(cid) + "/events?after=" + cursor).then(function (data) {
      document.getElementById("transcript-error").hidden = true;
      var nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
      data.items.forEach(function (item) {
        if (!transcript.querySelector('[data-i="' + Number(item.i) + '"]')) { transcript.appendChild(transcriptItem(item)); }
      });
      if (data.items.length) {
        var empty = document.getElementById("transcript-empty");
        if (empty) { empty.hidden = true; }
        if (nearBottom) { transcript.lastElementChild.scrollIntoView({ block: "end" }); }
      }
      transcript.setAttribute("data-cursor", String(Math.max(cursor, data.cursor)));
      var status = document.getElementById("conversation-status");
      if (status && data.status && T["status_" + data.status] && status.getAttribute("data-status") !== data.status) {
        status.setAttribute("data-status", data.status);
        status.textContent = T["status_" + data.status];
      }
    }).catch(function () {
      document.getElementById("transcript-error").hidden = false;
    }).then(function () {
      polling = false;
      if (!once) { setTimeout(function () { pollTranscript(false); }, 1500); }
    });
  }
  if (transcript && transcript.getAttribute("data-live") === "true") {
    setTimeout(function () { pollTranscript(false); }, 1500);
  }

  // ---- reply box -------------------------------------------------------------
  var composer = document.getElementById("composer");
  if (composer) {
    var textarea = composer.querySelector("textarea");
    var error = document.getElementById("composer-error");
    var sending = false;
    composer.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) { return; }
      var text = textarea.value.trim();
      if (!text) { error.textContent = T.message_empty; error.hidden = false; return; }
      sending = true;
      fetch(composer.action, {
        method: "POST", credentials: "same-origin", body: new FormData(composer),
        headers: { "X-Requested-With": "fetch", "X-CSRF-Token": config.csrf, "Accept": "application/json" }
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (result) {
        if (result.ok) {
          textarea.value = "";
          error.hidden = true;
          pollTranscript(true);
        } else {
          error.textContent = T[result.body.message] || T.sending_failed;
          error.hidden = false;
        }
      }).catch(function () {
        error.textContent = T.sending_failed;
        error.hidden = false;
      }).then(function () { sending = false; textarea.focus(); });
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        composer.requestSubmit();
      }
    });
  }
})();

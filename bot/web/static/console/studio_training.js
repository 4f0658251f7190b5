// The studio's training data page (a sentence checked as it is typed) and NLU inbox (keyboard, bulk
// actions without a page load). Both pages work without this script; texts come from the page's
// config (data/locale, group studio) and every message text goes into the page with textContent.
(function () {
  "use strict";
  var configNode = document.getElementById("console-config");
  if (!configNode) { return; }
  var config = JSON.parse(configNode.textContent);
  var S = config.studio || {};

  function plural(key, count) {
    return String(S[key + (count === 1 ? "_one" : "_other")] || "").replace("{count}", String(count));
  }
  function post(url, body, isJSON) {
    var headers = { "Accept": "application/json", "X-CSRF-Token": config.csrf };
    if (isJSON) { headers["Content-Type"] = "application/json"; }
    return fetch(url, { method: "POST", credentials: "same-origin", headers: headers,
                        body: isJSON ? JSON.stringify(body) : body })
      .then(function (r) {
        if (r.status === 401) { window.location.assign("/console/login?next=" + encodeURIComponent(location.pathname)); }
        return r.json().then(function (data) { return { ok: r.ok, data: data }; });
      });
  }

  // ---- training data: warnings while typing, a question before a delete -----------------------
  function showWarnings(box, warnings) {
    box.textContent = "";
    if (!warnings.length) { return; }
    var title = document.createElement("p");
    title.className = "warn-title";
    title.textContent = S.training_warnings;
    var list = document.createElement("ul");
    warnings.forEach(function (w) {
      var li = document.createElement("li");
      li.className = "warn-" + w.kind;
      li.textContent = w.message;
      list.appendChild(li);
    });
    box.appendChild(title);
    box.appendChild(list);
  }
  function watch(form) {
    var text = form.querySelector("input[name=text]");
    var intent = form.querySelector("select[name=intent]");
    var language = form.querySelector("select[name=language]");
    var box = form.querySelector(".warnings");
    if (!text || !intent || !box) { return; }
    var timer = null;
    function check() {
      if (!text.value.trim() || !intent.value) { showWarnings(box, []); return; }
      post(form.getAttribute("data-check"), {
        language: language ? language.value : form.getAttribute("data-language"),
        intent: intent.value, text: text.value, id: form.getAttribute("data-id") || ""
      }, true).then(function (r) { if (r.ok) { showWarnings(box, r.data.warnings || []); } }).catch(function () {});
    }
    function later() { clearTimeout(timer); timer = setTimeout(check, 400); }
    text.addEventListener("input", later);
    intent.addEventListener("change", later);
    if (language) { language.addEventListener("change", later); }
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-check]"), watch);
  Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  var editing = document.querySelector(".edit-form input[name=text]");
  if (editing) { editing.focus(); }

  // ---- inbox ------------------------------------------------------------------------------------
  var form = document.getElementById("inbox-form");
  if (!form) { return; }
  var current = 0;
  var bulkIntent = document.getElementById("bulk-intent");
  function items() { return Array.prototype.slice.call(form.querySelectorAll(".inbox-item")); }
  function selected() { return items().filter(function (li) { return li.querySelector(".item-box").checked; }); }
  function countSelected() {
    document.getElementById("selected-count").textContent = plural("inbox_selected", selected().length);
  }
  function focusItem(index) {
    var all = items();
    if (!all.length) { document.getElementById("inbox-open").focus(); return; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (li, i) { li.classList.toggle("current", i === current); });
    all[current].focus();
  }
  function groupOf(li) { return form.querySelectorAll('.inbox-item[data-group="' + li.getAttribute("data-group") + '"]'); }
  function toggleGroup(li, on) {
    Array.prototype.forEach.call(groupOf(li), function (other) { other.querySelector(".item-box").checked = on; });
    var box = form.querySelector('.group-box[data-group="' + li.getAttribute("data-group") + '"]');
    if (box) { box.checked = on; }
    countSelected();
  }
  function tidy(doneIds) {
    var all = items();
    var first = all.findIndex(function (li) { return doneIds.indexOf(Number(li.getAttribute("data-id"))) >= 0; });
    doneIds.forEach(function (id) {
      var li = document.getElementById("item-" + id);
      if (li) { li.parentNode.removeChild(li); }
    });
    Array.prototype.forEach.call(form.querySelectorAll(".inbox-group"), function (section) {
      var left = section.querySelectorAll(".inbox-item").length;
      if (!left) { section.parentNode.removeChild(section); return; }
      section.querySelector("h2").textContent = plural("inbox_group", left);
    });
    countSelected();
    focusItem(first < 0 ? current : first);
  }
  function resolve(action, ids, intent) {
    var status = document.getElementById("inbox-status");
    if (!ids.length) { status.textContent = S.inbox_nothing_selected; return; }
    if (action === "correct" && !intent) { status.textContent = S.inbox_choose_intent; bulkIntent.focus(); return; }
    var body = new FormData();
    body.append("csrf_token", config.csrf);
    body.append("action", action);
    if (intent) { body.append("intent", intent); }
    ids.forEach(function (id) { body.append("ids", id); });
    post(form.getAttribute("action"), body, false).then(function (r) {
      status.textContent = r.data.message || "";
      if (!r.ok) { return; }
      document.getElementById("inbox-open").textContent = r.data.open_text;
      tidy(r.data.done);
    }).catch(function () { form.submit(); });
  }
  function inList() {
    var active = document.activeElement;
    return Boolean(active && active.closest && active.closest(".inbox-item"));
  }
  function targets() {
    var chosen = selected();
    if (!chosen.length && items()[current]) { chosen = [items()[current]]; }
    return chosen.map(function (li) { return li.getAttribute("data-id"); });
  }
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button) { return; }
    event.preventDefault();
    if (button.name === "one") {
      var parts = button.value.split(":");
      var li = document.getElementById("item-" + parts[1]);
      current = items().indexOf(li);
      resolve(parts[0], [parts[1]], null);
    } else {
      resolve(button.value, selected().map(function (li) { return li.getAttribute("data-id"); }),
              button.value === "correct" ? bulkIntent.value : null);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("group-box")) {
      toggleGroup(form.querySelector('.inbox-item[data-group="' + event.target.getAttribute("data-group") + '"]'),
                  event.target.checked);
    } else { countSelected(); }
  });
  form.addEventListener("focusin", function (event) {
    var li = event.target.closest && event.target.closest(".inbox-item");
    if (li) { current = items().indexOf(li); }
  });
  bulkIntent.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); resolve("correct", targets(), bulkIntent.value); }
    if (event.key === "Escape") { event.preventDefault(); focusItem(current); }
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.ctrlKey || event.metaKey || event.altKey || tag === "select" || tag === "textarea" ||
        (tag === "input" && event.target.type !== "checkbox")) { return; }
    var li = items()[current];
    var handled = true;
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !form.contains(event.target)) { return; }
    switch (event.key) {
      case "j": case "ArrowDown": focusItem(inList() ? current + 1 : current); break;
      case "k": case "ArrowUp": focusItem(inList() ? current - 1 : current); break;
      case "x":
        if (li) { var box = li.querySelector(".item-box"); box.checked = !box.checked; countSelected(); }
        break;
      case "g": if (li) { toggleGroup(li, !li.querySelector(".item-box").checked); } break;
      case "c": resolve("confirm", targets(), null); break;
      case "d": resolve("dismiss", targets(), null); break;
      case "e":
        if (li && !selected().length) { li.querySelector(".item-box").checked = true; countSelected(); }
        bulkIntent.focus();
        break;
      case "?": var help = document.getElementById("shortcuts"); help.open = !help.open; break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });
  document.getElementById("inbox-open").setAttribute("tabindex", "-1");
  countSelected();
  if (items().length) { items()[0].classList.add("current"); }
})();

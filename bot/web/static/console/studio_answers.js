// The answer editor (bot/studio/answer_views.py): a preview of each language as the chat widget
// shows it, and a live check of the form. Every text goes in with textContent, never as HTML; the
// preview lives in a shadow root with the widget's own stylesheet (bot/web/static/widget.css).
(function () {
  "use strict";
  var configNode = document.getElementById("console-config");
  var form = document.getElementById("answer-form");
  if (!configNode || !form) { return; }
  var config = JSON.parse(configNode.textContent);
  var A = config.answers || {};
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function field(name) { var f = form.elements.namedItem(name); return f ? f.value.replace(/\r\n?/g, "\n").trim() : ""; }
  // Figures written in as the catalogue does (bot/content/figures.py); other {names} stay as typed.
  function fillFigures(text, lang) {
    var figures = (A.figures || {})[lang] || {};
    return text.replace(/\{([a-z][a-z0-9_]*)\}/g, function (m, name) {
      return Object.prototype.hasOwnProperty.call(figures, name) ? figures[name] : m;
    });
  }
  function shownDate(value, lang) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) { return value; }
    var day = parseInt(m[3], 10), month = parseInt(m[2], 10);
    return lang === "en" ? day + " " + MONTHS[month - 1] + " " + m[1] : day + "." + month + "." + m[1];
  }
  function answerOf(lang, i) {  // {text, buttons} as the NLG will send them
    if (A.kind === "question") {
      var checked = String((A.checked || {})[lang] || "{date}").replace("{date}", shownDate(field("checked"), lang));
      var text = fillFigures(field("text." + lang).split(/\s+/).join(" "), lang) + "\n" +
        field("link_label." + lang) + ": " + field("link_url." + lang) + "\n" + checked;
      return { text: text, buttons: (A.buttons || {})[lang] || [] };
    }
    var buttons = [];
    for (var j = 0; form.elements.namedItem("button." + lang + "." + i + "." + j + ".title"); j++) {
      var title = field("button." + lang + "." + i + "." + j + ".title");
      if (title) { buttons.push({ title: title }); }
    }
    return { text: fillFigures(field("text." + lang + "." + i), lang), buttons: buttons };
  }
  function render(box) {
    // The widget's stylesheet makes its host inline (:host { all: initial }): the host is a child of the box.
    var host = box.firstElementChild || box.appendChild(el("div"));
    var root = host.shadowRoot || host.attachShadow({ mode: "open" });
    while (root.firstChild) { root.removeChild(root.firstChild); }
    var sheet = el("link");
    sheet.rel = "stylesheet";
    sheet.href = "/static/widget.css";
    root.appendChild(sheet);
    var answer = answerOf(box.dataset.lang, box.dataset.variation);
    if (!answer.text && !answer.buttons.length) { return; }  // a variation not written (yet): nothing to show
    var frame = el("div", "bec");
    frame.lang = box.dataset.lang;
    var list = el("ol", "bec-messages");
    var item = el("li", "bec-msg bec-assistant");
    var body = el("div", "bec-text");
    BusinessEspooLinks.append(body, answer.text);  // the links as the widget shows them (/static/links.js)
    item.appendChild(body);
    if (answer.buttons.length) {
      var group = el("div", "bec-replies");
      answer.buttons.forEach(function (b) { var r = el("button", "bec-reply", b.title); r.type = "button"; r.tabIndex = -1; group.appendChild(r); });
      item.appendChild(group);
    }
    list.appendChild(item);
    frame.appendChild(list);
    root.appendChild(frame);
  }
  function renderAll() { Array.prototype.forEach.call(document.querySelectorAll(".answer-preview"), render); }

  // ---- the live check: the server's problems, shown above the form and on their fields ----
  var problemsBox = document.getElementById("answer-problems");
  var headingText = problemsBox.dataset.heading || "";
  function showProblems(problems) {
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (f) { f.removeAttribute("aria-invalid"); });
    while (problemsBox.firstChild) { problemsBox.removeChild(problemsBox.firstChild); }
    if (!problems.length) { return; }
    if (headingText) { problemsBox.appendChild(el("h2", "", headingText)); }
    var list = el("ul");
    problems.forEach(function (p) {
      var li = el("li", "", p.message);
      li.dataset.where = p.where;
      list.appendChild(li);
      var f = p.where ? form.elements.namedItem(p.where) : null;
      if (f && f.setAttribute) { f.setAttribute("aria-invalid", "true"); }
    });
    problemsBox.appendChild(list);
  }
  var timer = null;
  function check() {
    var body = new URLSearchParams(new FormData(form));
    fetch(form.dataset.check, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Accept": "application/json", "X-CSRF-Token": config.csrf },
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { showProblems(data.problems || []); } })
      .catch(function () {});
  }
  form.addEventListener("input", function () {
    renderAll();
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  renderAll();
  Array.prototype.forEach.call(problemsBox.querySelectorAll("li[data-where]"), function (li) {
    var f = li.dataset.where ? form.elements.namedItem(li.dataset.where) : null;
    if (f && f.setAttribute) { f.setAttribute("aria-invalid", "true"); }
  });
}());

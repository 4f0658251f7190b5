  /* Part 2 of 3: the widget's elements and the rendering of messages. */
  // ---- the widget's elements, in an open shadow root so page styles do not leak in ----
  var host = el("div");
  host.id = "business-espoo-chat";
  var root = host.attachShadow({ mode: "open" });
  var sheet = el("link");
  sheet.rel = "stylesheet";
  sheet.href = new URL("/static/widget.css", base).href;
  root.appendChild(sheet);
  var frame = el("div", "bec");
  frame.lang = lang;
  var palette = colours();
  frame.style.setProperty("--bec-accent", palette.accent);
  frame.style.setProperty("--bec-on-accent", palette.onAccent);
  frame.style.setProperty("--bec-ink", palette.ink);
  root.appendChild(frame);

  function icon(path) {  // a decorative SVG icon (the buttons have their names in text)
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
    shape.setAttribute("d", path);
    svg.appendChild(shape);
    return svg;
  }
  var launcher = el("button", "bec-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "bec-panel");
  launcher.appendChild(icon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"));
  var launcherText = launcher.appendChild(el("span"));
  frame.appendChild(launcher);

  var panel = el("section", "bec-panel");
  panel.id = "bec-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "bec-title");
  var header = el("div", "bec-header");
  var title = el("h2", "bec-title");
  title.id = "bec-title";
  var restart = el("button", "bec-restart");
  restart.type = "button";
  restart.appendChild(icon("M17.65 6.35A7.96 7.96 0 0 0 12 4a8 8 0 1 0 7.75 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 1.78L13 11h7V4z"));
  var restartText = restart.appendChild(el("span", "bec-restart-text"));  // hidden visually on narrow screens
  var closer = el("button", "bec-close");
  closer.type = "button";
  closer.appendChild(icon("M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"));
  header.appendChild(title);
  header.appendChild(restart);
  header.appendChild(closer);
  panel.appendChild(header);

  var scroller = el("div", "bec-scroller");
  var notice = el("p", "bec-notice");
  var noticeText = notice.appendChild(el("span"));
  var privacy = el("a");
  privacy.href = CONFIG.privacyUrl;
  privacy.target = "_blank";
  privacy.rel = "noopener noreferrer";
  notice.appendChild(privacy);
  scroller.appendChild(notice);
  var log = el("div", "bec-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.setAttribute("aria-labelledby", "bec-title");
  var list = el("ol", "bec-messages");
  log.appendChild(list);
  scroller.appendChild(log);
  var typing = el("div", "bec-typing");
  typing.setAttribute("role", "status");
  var dots = el("span", "bec-dots");
  dots.setAttribute("aria-hidden", "true");
  [0, 1, 2].forEach(function () { dots.appendChild(el("span")); });
  var typingText = el("span", "bec-typing-text");
  typing.appendChild(dots);
  typing.appendChild(typingText);
  scroller.appendChild(typing);
  panel.appendChild(scroller);

  var status = el("p", "bec-status");
  status.setAttribute("role", "alert");
  panel.appendChild(status);
  var form = el("form", "bec-composer");
  form.setAttribute("autocomplete", "off");
  var label = el("label", "bec-label");
  label.htmlFor = "bec-input";
  var input = el("textarea", "bec-input");
  input.id = "bec-input";
  input.rows = 2;
  input.maxLength = CONFIG.maxChars;
  var sendButton = el("button", "bec-send");
  sendButton.type = "submit";
  form.appendChild(label);
  var row = el("div", "bec-row");
  row.appendChild(input);
  row.appendChild(sendButton);
  form.appendChild(row);
  panel.appendChild(form);
  frame.appendChild(panel);
  document.body.appendChild(host);

  // ---- the widget's own texts follow the conversation's language ----
  function each(selector, change) { Array.prototype.forEach.call(root.querySelectorAll(selector), change); }
  function applyTexts() {
    frame.lang = lang;
    host.lang = lang;
    launcherText.textContent = T.widget_open;
    title.textContent = (options.title || T.heading).slice(0, 80);
    restartText.textContent = T.new_conversation;
    restart.setAttribute("aria-label", T.new_conversation);  // its name also where only the icon shows
    restart.title = T.new_conversation;
    closer.setAttribute("aria-label", T.widget_close);
    noticeText.textContent = T.bot_notice + " ";
    privacy.textContent = T.privacy_link;
    privacy.appendChild(srOnly(" " + T.opens_new_tab));
    label.textContent = T.input_label;
    sendButton.textContent = T.send;
    each(".bec-msg", function (item) { item.querySelector(".bec-who").textContent = whoLabel(item.dataset.who); });
    each(".bec-text a .bec-sr", function (hint) { hint.textContent = " " + T.opens_new_tab; });
    each(".bec-replies", function (group) { group.setAttribute("aria-label", T.quick_replies_label); });
    each(".bec-again", function (again) { again.textContent = T.send_again; });
    each(".bec-helpful-q", function (q) { q.textContent = T.helpful_question; });
    each(".bec-helpful-done", function (done) { done.textContent = T.helpful_thanks; });
    each(".bec-thumb", function (b) { b.title = T[b.dataset.text]; b.querySelector(".bec-sr").textContent = T[b.dataset.text]; });
    each("time[datetime]", function (time) { time.textContent = formatTime(Date.parse(time.dateTime) / 1000); });
    if (typing.classList.contains("bec-on")) { typingText.textContent = T.typing; }
    fitHeader();
  }
  function fitHeader() {  // "New conversation" shows only its icon when its words would cut the title
    header.classList.remove("bec-compact");
    if (title.scrollHeight > title.clientHeight + 1) { header.classList.add("bec-compact"); }
  }
  if (window.ResizeObserver) { new ResizeObserver(fitHeader).observe(panel); }
  function setLanguage(code) {
    code = pickLanguage(code);
    if (!code) { return; }
    save("language", code);
    if (code !== lang) { lang = code; T = CONFIG.texts[lang]; applyTexts(); }
  }
  applyTexts();

  // ---- rendering of messages ----
  function whoLabel(who) { return who === "user" ? T.you : who === "adviser" ? T.adviser : T.assistant; }
  function scrollDown() { scroller.scrollTop = scroller.scrollHeight; }
  // An answer is read from its start: scroll to the end if all of it fits, else put its start at the top.
  function reveal(node) {
    var end = scroller.scrollHeight - scroller.clientHeight;
    if (!node || panel.hidden) { scroller.scrollTop = end; return; }
    var top = scroller.scrollTop + node.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
    scroller.scrollTop = Math.max(0, Math.min(end, top));
  }
  function revealLatest() {  // the assistant's messages after the last user message
    var first = null;
    for (var item = list.lastElementChild; item && !item.classList.contains("bec-user"); item = item.previousElementSibling) {
      first = item;
    }
    reveal(first);
  }
  function findUser(id) {
    var items = list.querySelectorAll("li.bec-user");
    for (var i = 0; i < items.length; i++) { if (items[i].dataset.id === id) { return items[i]; } }
    return null;
  }
  function messageItem(entry) {
    var who = entry.who === "user" || entry.who === "adviser" ? entry.who : "assistant";
    var item = el("li", "bec-msg bec-" + who);
    item.dataset.who = who;
    if (entry.id) { item.dataset.id = entry.id; }
    item.appendChild(el("span", "bec-who", whoLabel(entry.who)));
    var body = el("div", "bec-text");
    appendLinkified(body, entry.text || "", entry.links);
    item.appendChild(body);
    var meta = el("div", "bec-meta");
    var time = el("time", "bec-time");
    meta.appendChild(time);
    meta.appendChild(el("span", "bec-state"));
    item.appendChild(meta);
    if (who === "assistant" && typeof entry.answer === "string") { item.appendChild(helpful(entry)); }
    if (entry.time) { setTime(item, entry.time); }
    if (entry.buttons && entry.buttons.length) { item.buttons = entry.buttons; }
    return item;
  }
  // "Was this helpful?" under an answer (bot/insights/feedback.py): one vote per answer, remembered.
  var THUMB = "M3 10h4v10H3z M9 20V10l4-7c1.5 0 2.5 1 2.2 2.6L14.6 9H20c1.1 0 2 .9 2 2l-2 8c-.2.6-.8 1-1.5 1z";
  var helpfulCount = 0;
  function helpful(entry) {
    var key = String(load("conversation", "")).split(".")[0] + ":" + entry.answer;  // one vote per answer
    var group = el("div", "bec-helpful");
    var question = el("span", "bec-helpful-q", T.helpful_question);
    question.id = "bec-helpful-" + (++helpfulCount);
    group.setAttribute("role", "group");
    group.setAttribute("aria-labelledby", question.id);
    group.appendChild(question);
    if (load("voted", []).indexOf(key) >= 0) { group.appendChild(el("span", "bec-helpful-done", T.helpful_thanks)); return group; }
    [[true, "bec-up", "helpful_yes"], [false, "bec-down", "helpful_no"]].forEach(function (choice) {
      var button = el("button", "bec-thumb " + choice[1]);
      button.type = "button";
      button.dataset.text = choice[2];
      button.appendChild(icon(THUMB));
      button.appendChild(srOnly(T[choice[2]]));
      button.title = T[choice[2]];
      button.addEventListener("click", function () {
        sendFeedback(entry.answer, choice[0]);
        save("voted", load("voted", []).concat([key]).slice(-200));
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) { b.remove(); });
        var thanks = el("span", "bec-helpful-done", T.helpful_thanks);
        thanks.setAttribute("role", "status");
        group.appendChild(thanks);
      });
      group.appendChild(button);
    });
    return group;
  }
  function setTime(item, seconds) {
    var time = item.querySelector("time");
    time.dateTime = new Date(seconds * 1000).toISOString();
    time.textContent = formatTime(seconds);
  }
  function setState(item, text, failedItem) {
    var state = item.querySelector(".bec-state");
    state.textContent = text || "";
    item.classList.toggle("bec-failed", !!failedItem);
    if (failedItem) {
      var again = el("button", "bec-again", T.send_again);
      again.type = "button";
      again.addEventListener("click", function () { resend(failedItem, item); });
      state.appendChild(document.createTextNode(" "));
      state.appendChild(again);
    }
  }
  function showQuickReplies() {
    Array.prototype.forEach.call(list.querySelectorAll(".bec-replies"), function (n) { n.remove(); });
    var last = list.lastElementChild;
    if (!last || last.classList.contains("bec-user") || !last.buttons) { return; }
    var group = el("div", "bec-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", T.quick_replies_label);
    last.buttons.forEach(function (button) {
      var b = el("button", "bec-reply", button.title);
      b.type = "button";
      b.addEventListener("click", function () {
        group.remove();
        submit(button.payload, button.title);
        input.focus();
      });
      group.appendChild(b);
    });
    last.appendChild(group);
  }
  function pendingItem(item) {
    var node = messageItem({ who: "user", id: item.id, text: item.title || item.text });
    if (item.failed) { setState(node, T.not_sent, item); } else { setState(node, T.sending); }
    return node;
  }
  function renderGreeting(greeting) {  // the assistant's opening words (bot/web/greeting.py), never a turn
    if (greeting && greeting.text) { list.appendChild(messageItem(greeting)).classList.add("bec-greeting"); }
  }
  function renderAll(history, greeting) {
    list.textContent = "";
    renderGreeting(greeting);
    var seen = {};
    history.forEach(function (entry) {
      if (entry.id) { seen[entry.id] = true; }
      list.appendChild(messageItem(entry));
    });
    var items = updateOutbox(function (items) { return items.filter(function (i) { return !seen[i.id]; }); });
    items.forEach(function (item) { list.appendChild(pendingItem(item)); });
    showQuickReplies();
    revealLatest();
  }
  function renderOutbox(greeting) {  // without the history (Rasa is down): at least what was not answered
    if (!list.firstElementChild) { renderGreeting(greeting); }
    outbox().forEach(function (item) { if (!findUser(item.id)) { list.appendChild(pendingItem(item)); } });
    showQuickReplies();
    revealLatest();
  }
  function renderReply(frame) {
    updateOutbox(function (items) { return items.filter(function (i) { return i.id !== frame.id; }); });
    var userItem = findUser(frame.id);
    if (userItem && userItem.dataset.done) { return; }
    if (!userItem) { userItem = messageItem(frame.user); list.appendChild(userItem); }
    userItem.dataset.done = "1";
    setState(userItem, "");
    if (frame.user && frame.user.time) { setTime(userItem, frame.user.time); }
    var after = userItem, first = null;
    frame.messages.forEach(function (entry) {
      var node = messageItem(entry);
      list.insertBefore(node, after.nextSibling);
      after = node;
      first = first || node;
    });
    showQuickReplies();
    reveal(first);
  }
  // Human handoff (bot/handoff/live.py): an adviser's messages and answers Rasa gave on its own.
  function renderPushed(messages) {
    if (!Array.isArray(messages) || !messages.length) { return; }
    var first = null;
    messages.forEach(function (entry) { var node = list.appendChild(messageItem(entry)); first = first || node; });
    showQuickReplies();
    reveal(first);
  }
  function setTyping(on) {
    typing.classList.toggle("bec-on", !!on);
    typingText.textContent = on ? T.typing : "";
  }
  function textOf(frame) {
    var text = frame.code && T[frame.code];
    return text && text.indexOf("{") < 0 ? text : (frame.message || T.error_unavailable);
  }
  function markFailed(id, text) {
    var failed = null;
    updateOutbox(function (items) {
      items.forEach(function (i) { if (i.id === id) { i.failed = true; failed = i; } });
    });
    var node = findUser(id);
    if (node && failed) { setState(node, T.not_sent, failed); }
    status.textContent = text;
  }


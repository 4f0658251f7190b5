  /* Part 3 of 3: sending through the outbox, the connection, opening and closing. */
  // ---- sending: every message goes through the outbox until the gateway answers it ----
  function submit(text, title) {
    var item = { id: newId(), text: text, sent: false };
    if (title) { item.title = title; }
    updateOutbox(function (items) { items.push(item); });
    list.appendChild(pendingItem(item));
    showQuickReplies();
    scrollDown();
    status.textContent = ws ? "" : T.offline;
    if (welcomed) { transmit(item); } else if (!ws) { connect(); }
  }
  function transmit(item) {
    var message = { type: "message", id: item.id, text: item.text, retry: !!item.sent };
    if (item.title) { message.title = item.title; }
    ws.send(JSON.stringify(message));
    updateOutbox(function (items) { items.forEach(function (i) { if (i.id === item.id) { i.sent = true; } }); });
  }
  function resend(failedItem, node) {
    updateOutbox(function (items) { return items.filter(function (i) { return i.id !== failedItem.id; }); });
    node.remove();
    status.textContent = "";
    submit(failedItem.text, failedItem.title);
    input.focus();
  }

  // ---- the connection: reconnects with backoff, resends what was not answered ----
  var ws = null;
  var welcomed = false;
  var attempts = 0;
  var timer = null;
  var waitLonger = false;
  var startNew = false;  // "new conversation" pressed while connecting
  function connect() {
    clearTimeout(timer);
    if (ws) { return; }
    welcomed = false;
    var socket;
    try { socket = new WebSocket(WS_URL); } catch (e) { reconnectLater(); return; }
    ws = socket;
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: "hello", conversation: load("conversation", null), language: lang, page_url: location.href }));
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && typeof frame === "object") { handle(frame); }
    };
    socket.onclose = function (event) {
      if (ws !== socket) { return; }
      ws = null;
      welcomed = false;
      setTyping(false);
      waitLonger = event.code === 4008;
      reconnectLater();
    };
  }
  function sendFeedback(answer, helpfulAnswer) {  // lost when offline: a vote is no message
    if (ws && welcomed) { ws.send(JSON.stringify({ type: "feedback", answer: answer, helpful: helpfulAnswer })); }
  }
  function reconnectLater() {
    attempts += 1;
    var delay = waitLonger ? 30000 : Math.min(30000, 500 * Math.pow(2, attempts - 1));
    delay = delay / 2 + Math.random() * delay / 2;
    if (!waitLonger && (attempts > 1 || outbox().some(function (i) { return !i.failed; }))) { status.textContent = T.offline; }
    timer = setTimeout(connect, delay);
  }
  function handle(frame) {
    if (frame.type === "welcome") {
      if (startNew) { startNew = false; ws.send(JSON.stringify({ type: "new", language: lang })); return; }
      save("conversation", frame.conversation);
      setLanguage(frame.language);
      attempts = 0;
      welcomed = true;
      if (status.textContent === T.offline || status.textContent === T.connecting) { status.textContent = ""; }
      if (Array.isArray(frame.history)) { renderAll(frame.history, frame.greeting); } else { renderOutbox(frame.greeting); }
      setTyping(frame.typing);
      outbox().forEach(function (item) { if (!item.failed) { transmit(item); } });
    } else if (frame.type === "ack") {
      var node = findUser(frame.id);
      if (node && !node.dataset.done) { setState(node, ""); }
    } else if (frame.type === "reply") {
      if (status.textContent === T.error_delayed || status.textContent === T.offline) { status.textContent = ""; }
      setLanguage(frame.language);
      renderReply(frame);
    } else if (frame.type === "push") {
      renderPushed(frame.messages);
    } else if (frame.type === "typing") {
      setTyping(frame.on);
    } else if (frame.type === "delayed") {
      status.textContent = textOf(frame);
    } else if (frame.type === "failed") {
      markFailed(frame.id, textOf(frame));
    } else if (frame.type === "error") {
      if (frame.id) { markFailed(frame.id, textOf(frame)); } else { status.textContent = textOf(frame); }
      if (!welcomed && ws && frame.code !== "error_too_many_connections") { ws.close(); }  // try again later
    }
  }

  // ---- opening, closing, keyboard ----
  function open() {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    try { sessionStorage.setItem(STORE + "open", "1"); } catch (e) { /* private mode */ }
    if (!ws) { connect(); }
    revealLatest();
    input.focus();
  }
  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    try { sessionStorage.removeItem(STORE + "open"); } catch (e) { /* private mode */ }
    launcher.focus();
  }
  launcher.addEventListener("click", open);
  closer.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  restart.addEventListener("click", function () {
    save("conversation", null);
    save("outbox", []);
    list.textContent = "";
    status.textContent = "";
    setTyping(false);
    if (welcomed) { ws.send(JSON.stringify({ type: "new", language: lang })); } else if (ws) { startNew = true; } else { connect(); }
    input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    submit(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
  });
  window.addEventListener("online", function () { if (!ws) { attempts = 0; connect(); } });

  var wasOpen = false;
  try { wasOpen = sessionStorage.getItem(STORE + "open") === "1"; } catch (e) { /* private mode */ }
  if (wasOpen) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
  }
  if (wasOpen || outbox().some(function (i) { return !i.failed; })) { connect(); }

// Worker phone punch page (M3), offline first: every punch is written to localStorage before it is
// sent, and stays there until the server has answered for it. Plain ES2017, no libraries.
(function () {
  "use strict";
  var root = document.getElementById("punch");
  if (!root) { return; }

  // One queue per worker: on a phone two workers share, a punch waiting offline is sent only in
  // its own worker's session (the server also refuses a punch carrying another worker's id).
  var WORKER = root.getAttribute("data-worker") || "";
  var QUEUE_KEY = "siteroll.punchQueue." + WORKER, LEGACY_KEY = "siteroll.punchQueue";
  var DEVICE_KEY = "siteroll.deviceId", RETRY_MS = 30000;
  var LABELS = { in: "上班打卡", out: "下班打卡" };
  var SWITCH_LABELS = { in: "切换为下班打卡", out: "切换为上班打卡" };
  var DIR_NAMES = { in: "入场", out: "出场" };
  var MSG_OFFLINE = "网络不通，打卡已保存在手机上，联网后自动上传";
  var MSG_SERVER = "服务器暂时无法接收，打卡已保存在手机上，稍后自动上传";
  var GEO_ERRORS = {
    1: "请允许浏览器获取位置（定位权限）后再打卡",
    2: "暂时无法获取位置，请到开阔处、打开手机定位（GPS）后再试",
    3: "定位超时，请到开阔处再试一次"
  };

  var $ = function (id) { return document.getElementById(id); };
  var button = $("punch-button"), switcher = $("punch-switch"), select = $("punch-project");
  var status = $("punch-status"), pending = $("pending"), pendingList = $("pending-list");
  var endpoint = root.getAttribute("data-endpoint"), csrf = root.getAttribute("data-csrf");

  // --- Storage: localStorage; once the browser refuses a write, keep the data in memory instead. ---
  var memory = {}, storageOk = true;
  function readItem(key) {
    if (!storageOk && Object.prototype.hasOwnProperty.call(memory, key)) { return memory[key]; }
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function writeItem(key, value) {
    memory[key] = value;
    try { localStorage.setItem(key, value); return storageOk; } catch (e) { storageOk = false; return false; }
  }
  function loadQueue() {
    try {
      var q = JSON.parse(readItem(QUEUE_KEY) || "[]");
      return Array.isArray(q) ? q.filter(function (p) { return p && p.worker === WORKER; }) : [];
    } catch (e) { return []; }
  }
  // Punches queued by an older version of this page carry no worker: they are never sent under
  // whoever is signed in now; the page says how many there are (the employer can register them as 补登).
  function legacyCount() {
    try { var q = JSON.parse(readItem(LEGACY_KEY) || "[]"); return Array.isArray(q) ? q.length : 0; } catch (e) { return 0; }
  }
  function saveQueue(q) { return writeItem(QUEUE_KEY, JSON.stringify(q)); }
  function removeFromQueue(id) { saveQueue(loadQueue().filter(function (p) { return p.clientEventId !== id; })); }

  // --- Random ids from crypto.getRandomValues. ---
  function randomHex(bytes) {
    return Array.from(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }
  function uuid4() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = randomHex(b);
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }
  function deviceId() {
    var id = readItem(DEVICE_KEY);
    if (!/^[0-9a-f]{32}$/.test(id || "")) { id = randomHex(crypto.getRandomValues(new Uint8Array(16))); writeItem(DEVICE_KEY, id); }
    return id;
  }

  // --- Display helpers. ---
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(date) { return pad(date.getHours()) + ":" + pad(date.getMinutes()); }
  function whenLabel(iso) {
    var d = new Date(iso), now = new Date();
    var sameDay = d.toDateString() === now.toDateString();
    return (sameDay ? "" : (d.getMonth() + 1) + "月" + d.getDate() + "日 ") + clock(d);
  }
  function show(kind, text, link) {
    status.className = "punch-status" + (kind ? (kind === "info" ? " info" : " alert " + kind) : "");
    status.textContent = text || "";
    if (link) {
      var a = document.createElement("a");
      a.href = link.href; a.textContent = link.text;
      status.appendChild(document.createTextNode(" ")); status.appendChild(a);
    }
  }
  function span(cls, text, attr, value) {
    var s = document.createElement("span");
    s.className = cls; s.textContent = text;
    if (attr) { s.setAttribute(attr, value); }
    return s;
  }
  function projectName(id) {
    if (!select) { return ""; }
    var option = Array.from(select.options).filter(function (o) { return o.value === id; })[0];
    return option && select.options.length > 1 ? option.textContent : "";
  }
  function renderPending() {
    var q = loadQueue();
    pending.hidden = q.length === 0;
    $("pending-count").textContent = String(q.length);
    pendingList.textContent = "";
    q.forEach(function (p) {
      var li = document.createElement("li");
      li.className = "punch-item";
      li.appendChild(span("p-time", whenLabel(p.clientTime)));
      li.appendChild(span("p-dir", DIR_NAMES[p.direction] || p.direction, "data-dir", DIR_NAMES[p.direction]));
      li.appendChild(span("p-status", "待上传", "data-status", "待上传"));
      var name = projectName(p.projectId);
      if (name) { li.appendChild(span("p-project", name)); }
      pendingList.appendChild(li);
    });
  }
  function addToday(p, data) {
    var names = { accepted: "已记录", suspicious: "待核实", refused: "未通过" };
    var li = document.createElement("li");
    li.className = "punch-item" + (data.status === "suspicious" ? " suspicious" : "");
    li.appendChild(span("p-time", data.time || clock(new Date(p.clientTime))));
    li.appendChild(span("p-dir", DIR_NAMES[p.direction], "data-dir", DIR_NAMES[p.direction]));
    li.appendChild(span("p-status", names[data.status], "data-status", names[data.status]));
    li.appendChild(span("p-source", "手机"));
    $("today-list").appendChild(li);
    $("today-empty").hidden = true;
  }
  function setDirection(direction, label) {
    if (!button || !LABELS[direction]) { return; }
    button.setAttribute("data-direction", direction);
    button.className = "punch-button dir-" + direction;
    button.querySelector(".punch-label").textContent = label || LABELS[direction];
    switcher.textContent = SWITCH_LABELS[direction];
  }
  function updateFence() {
    var option = select && select.options[select.selectedIndex];
    if (!option) { return; }
    $("punch-fence").textContent = option.getAttribute("data-fence") === "yes"
      ? "本项目设有电子围栏，请在工地范围内打卡。" : "打卡时会记录您所在的位置。";
  }

  // --- Network: POST one punch; resolves {status, data (parsed JSON or null), login}; rejects when offline. ---
  function post(p) {
    var body = new URLSearchParams({
      _csrf: csrf, clientEventId: p.clientEventId, projectId: p.projectId, direction: p.direction,
      latitude: String(p.latitude), longitude: String(p.longitude), accuracy: String(p.accuracy),
      clientTime: p.clientTime, deviceId: p.deviceId, clientSentTime: new Date().toISOString(), workerId: p.worker
    }).toString();
    var headers = { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", "Accept": "application/json" };
    function parse(text) { try { return JSON.parse(text); } catch (e) { return null; } }
    // An expired session answers with a redirect to the login page, which fetch follows.
    function isLogin(url) { return /\/login(\?|$)/.test(url || ""); }
    if (window.fetch) {
      // A request that hangs would block every later sync; give up after 30 s (the clientEventId makes a resend safe).
      var abort = window.AbortController ? new AbortController() : null;
      if (abort) { setTimeout(function () { abort.abort(); }, 30000); }
      return fetch(endpoint, { method: "POST", body: body, headers: headers, credentials: "same-origin", signal: abort ? abort.signal : undefined })
        .then(function (res) {
          return res.text().then(function (text) {
            return { status: res.status, data: parse(text), login: res.redirected && isLogin(res.url) };
          });
        });
    }
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", endpoint);
      Object.keys(headers).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
      xhr.onload = function () { resolve({ status: xhr.status, data: parse(xhr.responseText), login: isLogin(xhr.responseURL) }); };
      xhr.onerror = xhr.ontimeout = function () { reject(new Error("network")); };
      xhr.timeout = 30000;
      xhr.send(body);
    });
  }

  // --- Sync: send queued punches oldest first, one request at a time. ---
  var inFlight = false;
  async function sync() {
    if (inFlight) { return; }
    inFlight = true;
    try {
      var seen = {};
      for (;;) {
        var q = loadQueue();
        if (!q.length || seen[q[0].clientEventId]) { break; } // the second guard: a removal that did not stick
        var p = q[0], res;
        seen[p.clientEventId] = true;
        try { res = await post(p); } catch (e) { show("warn", MSG_OFFLINE); break; }
        var data = res.data || {};
        if (res.status === 409 && data.code === "PUNCH_OTHER_WORKER") {
          // Not this session's punch (the phone changed hands): keep it for its own worker.
          show("warn", data.message || "");
          break;
        }
        if (res.status === 401 || res.status === 403 || res.login) {
          show("error", "登录已过期，请重新登录后自动上传", { href: "/m/login?returnTo=" + encodeURIComponent(location.pathname), text: "去登录" });
          break;
        }
        if (res.status === 200 && /^(accepted|suspicious|duplicate|refused)$/.test(data.status)) {
          removeFromQueue(p.clientEventId);
          if (data.status === "accepted") { show("ok", "打卡成功 " + (data.time || "")); }
          if (data.status === "suspicious") { show("warn", "已记录，待企业核实：" + (data.message || "")); }
          if (data.newPhone) { $("punch-phone").hidden = false; }
          if (data.status === "refused") { show("error", data.message || "打卡未通过"); }
          if (data.status === "duplicate" && status.className.indexOf("info") >= 0) { show(null, ""); }
          if (data.status !== "duplicate") { addToday(p, data); }
          setDirection(data.nextDirection, data.nextLabel);
        } else if (res.status >= 400 && res.status < 500 && res.data && res.status !== 408 && res.status !== 429) {
          // The server has judged this punch for good (bad input): sending it again cannot help.
          removeFromQueue(p.clientEventId);
          show("error", data.message || "打卡未被接受（" + res.status + "）");
        } else {
          // 5xx, 408/429, or an answer that is not ours (proxy page): keep it and try again later.
          show("warn", MSG_SERVER);
          break;
        }
      }
    } finally {
      inFlight = false;
      renderPending();
    }
  }

  // --- Punch: locate, queue first, then sync. ---
  function locate() {
    return new Promise(function (resolve, reject) {
      navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
    });
  }
  async function punch() {
    if (!navigator.geolocation) { show("error", "这部手机的浏览器不支持定位，无法打卡，请换用系统自带浏览器或微信打开"); return; }
    button.disabled = true;
    show("info", "正在定位…");
    var position;
    try {
      position = await locate();
    } catch (err) {
      var text = GEO_ERRORS[err && err.code] || "无法获取位置，请稍后再试";
      if (err && err.code === 1 && window.isSecureContext === false) { text += "（本页面不是 HTTPS 安全连接，浏览器不允许定位，请联系项目管理员）"; }
      show("error", text);
      button.disabled = false;
      return;
    }
    var direction = button.getAttribute("data-direction");
    var p = {
      clientEventId: uuid4(), projectId: select ? select.value : "", direction: direction,
      latitude: position.coords.latitude, longitude: position.coords.longitude, accuracy: position.coords.accuracy,
      clientTime: new Date().toISOString(), deviceId: deviceId(), worker: WORKER
    };
    var q = loadQueue();
    q.push(p);
    var stored = saveQueue(q);
    renderPending();
    setDirection(direction === "in" ? "out" : "in");
    button.disabled = false;
    show("info", stored ? "打卡已保存，正在上传…" : "手机无法保存打卡，请保持本页面打开，直到上传成功");
    sync();
  }

  // --- Wiring. ---
  function updateOnline() { $("punch-offline").hidden = navigator.onLine !== false; }
  if (button) {
    button.addEventListener("click", punch);
    switcher.addEventListener("click", function () {
      setDirection(button.getAttribute("data-direction") === "in" ? "out" : "in");
    });
    select.addEventListener("change", updateFence);
    var tick = function () { $("punch-clock").textContent = clock(new Date()); };
    tick(); setInterval(tick, 1000);
    // A punch still waiting on the phone from today decides the next direction until the server answers.
    var last = loadQueue().slice(-1)[0];
    var next = last && new Date(last.clientTime).toDateString() === new Date().toDateString()
      ? (last.direction === "in" ? "out" : "in") : button.getAttribute("data-direction");
    setDirection(next, next === button.getAttribute("data-direction") ? button.querySelector(".punch-label").textContent : null);
    updateFence();
    button.disabled = false; switcher.disabled = false;
  }
  $("pending-retry").addEventListener("click", sync);
  window.addEventListener("online", function () { updateOnline(); sync(); });
  window.addEventListener("offline", updateOnline);
  window.addEventListener("storage", function (e) { if (e.key === QUEUE_KEY) { renderPending(); } });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { sync(); } });
  setInterval(function () { if (loadQueue().length) { sync(); } }, RETRY_MS);
  deviceId();
  updateOnline();
  renderPending();
  var legacy = legacyCount();
  if (legacy > 0 && $("punch-legacy")) {
    $("punch-legacy").hidden = false;
    $("punch-legacy-count").textContent = String(legacy);
  }
  sync();

  window.SiteRollPunch = { queue: loadQueue, sync: sync };
})();

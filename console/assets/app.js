// fcmock console. Plain JS, no build step, no dependency: every request goes to the mock that
// served this page. The invocations table and the detail use the public FC API (this page is a
// real client of it); pickers, scenario rules, the journal and the clock use the admin API.
(function () {
  "use strict";

  var ADMIN = location.pathname.replace(/ui\/.*$/, ""); // "/_fcmock/"
  var FC = "/2016-08-15";
  var $ = function (id) { return document.getElementById(id); };
  var state = {
    services: [], spec: null, ops: {}, statuses: [],
    tokens: [], // nextToken of each page shown so far: tokens[i] fetched page i+1
    page: 0, listURL: "", detail: null, detailURL: "", rules: [], journalTimer: 0,
    journal: [], journalSeq: 0
  };

  // ---- helpers -------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { e.textContent = attrs[k]; } else if (k === "class") { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return e;
  }

  // call sends a request and reads the answer whatever its status: FC errors are JSON.
  function call(method, url, opts) {
    opts = opts || {};
    var init = { method: method, headers: opts.headers || {}, credentials: "same-origin" };
    if (opts.body !== undefined) { init.body = opts.body; }
    return fetch(url, init).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : {}; } catch (e) { json = null; }
        return { status: res.status, ok: res.ok, json: json, text: text, headers: res.headers, url: url };
      });
    });
  }
  function errorText(r) {
    if (r.json && r.json.ErrorCode) { return r.json.ErrorCode + ": " + r.json.ErrorMessage; }
    return "HTTP " + r.status + " " + (r.text || "").slice(0, 200);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function fmtTime(ms) {
    if (!ms) { return ""; }
    var d = new Date(ms);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }
  function toLocalInput(ms) { return fmtTime(ms).replace(" ", "T"); }
  function shellQuote(s) { return "'" + String(s).replace(/'/g, "'\\''") + "'"; }
  function curlOf(method, url, headers, body) {
    var parts = ["curl -i"];
    if (method !== "GET") { parts.push("-X " + method); }
    Object.keys(headers || {}).forEach(function (k) { parts.push("-H " + shellQuote(k + ": " + headers[k])); });
    if (body !== undefined && body !== "") { parts.push("--data-binary " + shellQuote(body)); }
    parts.push(shellQuote(new URL(url, location.href).href));
    return parts.join(" ");
  }
  function toast(msg) { $("toast").textContent = msg; }
  function copyText(text) {
    var done = function () { toast("Copied: " + text.slice(0, 80) + (text.length > 80 ? "…" : "")); };
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    }
    fallbackCopy(text); done();
    return Promise.resolve();
  }
  function fallbackCopy(text) {
    var ta = el("textarea", { "aria-hidden": "true" });
    ta.value = text; ta.style.position = "fixed"; ta.style.opacity = "0";
    document.body.appendChild(ta); ta.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays shown on the page */ }
    ta.remove();
  }
  function fill(select, values, keep) {
    var old = select.value;
    while (select.options.length > (keep || 0)) { select.remove(keep || 0); }
    values.forEach(function (v) {
      var o = typeof v === "string" ? { value: v, label: v } : v;
      select.appendChild(el("option", { value: o.value, text: o.label }));
    });
    if (Array.prototype.some.call(select.options, function (o) { return o.value === old; })) { select.value = old; }
  }
  function showError(box, msg) { box.hidden = !msg; box.textContent = msg || ""; }

  // ---- spec: statuses and which operations this mock has -------------------------------------

  function loadSpec() {
    return call("GET", ADMIN + "openapi.json").then(function (r) {
      state.spec = r.json || { paths: {}, components: { schemas: {} } };
      Object.keys(state.spec.paths || {}).forEach(function (p) {
        Object.keys(state.spec.paths[p]).forEach(function (m) {
          var op = state.spec.paths[p][m];
          if (op && op.operationId) { state.ops[op.operationId] = { method: m.toUpperCase(), path: p }; }
        });
      });
      var schemas = (state.spec.components || {}).schemas || {};
      Object.keys(schemas).forEach(function (name) {
        var e = schemas[name].enum;
        if (e && e.indexOf("Succeeded") >= 0 && e.length > state.statuses.length) { state.statuses = e; }
      });
      fill($("status"), state.statuses, 1);
      var invoke = findOp("POST", /\/functions\/\{[^}]+\}\/invocations$/);
      $("invoke").hidden = !invoke;
    });
  }
  function findOp(method, re) {
    return Object.keys(state.ops).map(function (k) { return state.ops[k]; })
      .filter(function (o) { return o.method === method && re.test(o.path); })[0];
  }
  var invocationPath = /\/stateful-async-invocations\/\{[^}]+\}$/;
  var TERMINAL = ["Stopped", "Succeeded", "Failed", "Expired", "Invalid"];

  // ---- pickers -------------------------------------------------------------------------------

  function loadServices() {
    return call("GET", ADMIN + "services").then(function (r) {
      if (!r.ok) { showError($("list-error"), "Cannot read the services: " + errorText(r)); return; }
      state.services = r.json.services || [];
      fill($("svc"), state.services.map(function (s) { return s.name; }));
      fill($("rule-svc"), state.services.map(function (s) { return s.name; }), 1);
      // Open on the first function that has invocations.
      var first = null;
      state.services.forEach(function (s) {
        s.functions.forEach(function (f) { if (!first && f.invocations > 0) { first = { s: s.name, f: f.name }; } });
      });
      if (first) { $("svc").value = first.s; }
      serviceChanged(first && first.f);
    });
  }
  function currentService() {
    var name = $("svc").value;
    return state.services.filter(function (s) { return s.name === name; })[0] || { qualifiers: [], functions: [] };
  }
  function serviceChanged(fn) {
    var s = currentService();
    fill($("qual"), [{ value: "", label: "any (unqualified)" }].concat(s.qualifiers));
    fill($("fn"), s.functions.map(function (f) { return { value: f.name, label: f.name + " (" + f.invocations + ")" }; }));
    if (fn) { $("fn").value = fn; }
  }
  function ruleServiceChanged() {
    var name = $("rule-svc").value;
    var fns = [];
    state.services.forEach(function (s) {
      if (!name || s.name === name) { s.functions.forEach(function (f) { if (fns.indexOf(f.name) < 0) { fns.push(f.name); } }); }
    });
    fill($("rule-fn"), fns.sort(), 1);
  }

  // ---- the invocations table (public List API) -----------------------------------------------

  function servicePath(svc, qual) {
    return FC + "/services/" + encodeURIComponent(svc) + (qual ? "." + encodeURIComponent(qual) : "");
  }
  function listURL(token) {
    var q = new URLSearchParams();
    var limit = $("limit").value;
    if (limit) { q.set("limit", limit); }
    if ($("status").value) { q.set("status", $("status").value); }
    if ($("prefix").value) { q.set("invocationIdPrefix", $("prefix").value); }
    if ($("from").value) { q.set("startedTimeBegin", String(new Date($("from").value).getTime())); }
    if ($("to").value) { q.set("startedTimeEnd", String(new Date($("to").value).getTime())); }
    if ($("sort").value) { q.set("sortOrderByTime", $("sort").value); }
    if ($("payload").checked) { q.set("includePayload", "true"); }
    if (token) { q.set("nextToken", token); }
    var qs = q.toString();
    return servicePath($("svc").value, $("qual").value) + "/functions/" + encodeURIComponent($("fn").value) +
      "/stateful-async-invocations" + (qs ? "?" + qs : "");
  }
  function loadPage(page) {
    if (!$("svc").value || !$("fn").value) { return Promise.resolve(); }
    var token = page > 0 ? state.tokens[page - 1] : "";
    var url = listURL(token);
    state.listURL = url;
    $("inv-table").dataset.url = url; // the request behind the table, for people and tests
    var tbody = $("inv-table").tBodies[0];
    $("inv-table").setAttribute("aria-busy", "true");
    return call("GET", url).then(function (r) {
      $("inv-table").setAttribute("aria-busy", "false");
      tbody.textContent = "";
      var withPayload = $("payload").checked;
      document.querySelectorAll(".payload-col").forEach(function (c) { c.hidden = !withPayload; });
      if (!r.ok) {
        showError($("list-error"), errorText(r));
        tbody.appendChild(el("tr", { class: "err-row" }, [el("td", { colspan: "7", class: "err" }, [
          el("strong", { text: String(r.status) + " " + ((r.json && r.json.ErrorCode) || "") }), " ",
          (r.json && r.json.ErrorMessage) || ""])]));
        $("next").disabled = true;
        $("page-info").textContent = "request failed (" + (r.headers.get("X-Fcmock-Scenario-Applied") ? "scenario " + r.headers.get("X-Fcmock-Scenario-Applied") : "HTTP " + r.status) + ")";
        return;
      }
      showError($("list-error"), "");
      state.page = page;
      var invs = (r.json && r.json.invocations) || [];
      state.tokens[page] = (r.json && r.json.nextToken) || "";
      state.tokens.length = page + 1;
      invs.forEach(function (inv) {
        var open = el("button", { type: "button", class: "link mono", text: inv.invocationId, "aria-label": "Open invocation " + inv.invocationId });
        open.addEventListener("click", function () { openDetail(inv); });
        var cells = [
          el("td", {}, [open]),
          el("td", { class: "status s-" + inv.status, text: inv.status }),
          el("td", { text: inv.qualifier || "" }),
          el("td", { text: fmtTime(inv.startedTime) }),
          el("td", { text: fmtTime(inv.endTime) }),
          el("td", { text: String(inv.alreadyRetriedTimes) })
        ];
        if (withPayload) { cells.push(el("td", { class: "mono payload-col", text: (inv.invocationPayload || "").slice(0, 60) })); }
        tbody.appendChild(el("tr", { "data-id": inv.invocationId }, cells));
      });
      if (!invs.length) { tbody.appendChild(el("tr", {}, [el("td", { colspan: "7", class: "muted", text: "No invocations match." })])); }
      $("next").disabled = !state.tokens[page];
      $("first").disabled = page === 0;
      $("page-info").textContent = "Page " + (page + 1) + " · " + invs.length + " shown" + (state.tokens[page] ? " · more after this" : " · last page");
    }, function (e) {
      $("inv-table").setAttribute("aria-busy", "false");
      showError($("list-error"), "Network error: " + e);
    });
  }

  // ---- detail ---------------------------------------------------------------------------------

  function detailRequest(inv) {
    var get = findOp("GET", invocationPath);
    var base = servicePath(inv.serviceName, inv.qualifier) + "/functions/" + encodeURIComponent(inv.functionName) + "/stateful-async-invocations";
    if (get) { return { url: base + "/" + encodeURIComponent(inv.invocationId), single: true }; }
    // Without GetStatefulAsyncInvocation, the List API fetches it: by id prefix, with its payload.
    var q = new URLSearchParams({ invocationIdPrefix: inv.invocationId, includePayload: "true", limit: "100" });
    return { url: servicePath(inv.serviceName, "") + "/functions/" + encodeURIComponent(inv.functionName) + "/stateful-async-invocations?" + q, single: false };
  }
  function openDetail(inv) {
    state.detail = inv;
    $("detail-empty").hidden = true;
    $("detail-body").hidden = false;
    $("detail-id").textContent = inv.invocationId;
    renderDetail(inv);
    $("detail").focus();
    return refreshDetail();
  }
  function refreshDetail() {
    var inv = state.detail;
    if (!inv) { return Promise.resolve(); }
    var req = detailRequest(inv);
    state.detailURL = req.url;
    $("detail-curl").textContent = curlOf("GET", req.url);
    return call("GET", req.url).then(function (r) {
      if (!r.ok) { showError($("detail-error"), errorText(r)); return; }
      showError($("detail-error"), "");
      var got = req.single ? r.json : ((r.json.invocations || []).filter(function (i) { return i.invocationId === inv.invocationId; })[0]);
      if (got) { state.detail = got; renderDetail(got); }
    });
  }
  function renderDetail(inv) {
    var dl = $("detail-fields");
    dl.textContent = "";
    Object.keys(inv).sort().forEach(function (k) {
      if (k === "events" || k === "invocationPayload") { return; }
      var v = inv[k];
      var shown = (k === "startedTime" || k === "endTime") && v ? v + " (" + fmtTime(v) + ")" : JSON.stringify(v);
      dl.appendChild(el("dt", { text: k }));
      dl.appendChild(el("dd", { class: k === "status" ? "status s-" + v : "mono", text: shown }));
    });
    var p = inv.invocationPayload;
    if (p === undefined) { $("detail-payload").textContent = "(not fetched)"; } else {
      try { $("detail-payload").textContent = JSON.stringify(JSON.parse(p), null, 2); } catch (e) { $("detail-payload").textContent = p; }
    }
    var ol = $("detail-events");
    ol.textContent = "";
    (inv.events || []).forEach(function (ev) {
      ol.appendChild(el("li", {}, [
        el("span", { class: "status s-" + ev.status, text: ev.status }), " ",
        el("span", { class: "muted", text: "#" + ev.eventId + " · " + fmtTime(ev.timestamp) }),
        ev.eventDetail ? el("pre", { class: "mono", text: ev.eventDetail }) : null
      ]));
    });
    if (!(inv.events || []).length) { ol.appendChild(el("li", { class: "muted", text: "no events" })); }
    // Stop is offered while the invocation can still be stopped.
    var stop = findOp("PUT", invocationPath);
    $("detail-stop").hidden = !stop || TERMINAL.indexOf(inv.status) >= 0 || inv.status === "Stopping";
  }
  function stopDetail() {
    var inv = state.detail;
    var url = servicePath(inv.serviceName, inv.qualifier) + "/functions/" + encodeURIComponent(inv.functionName) +
      "/stateful-async-invocations/" + encodeURIComponent(inv.invocationId);
    return call("PUT", url).then(function (r) {
      if (!r.ok) { showError($("detail-error"), errorText(r)); return; }
      toast("Stop requested for " + inv.invocationId);
      // Watch the status change: a few refreshes, until it ends.
      var n = 0;
      var tick = function () {
        refreshDetail().then(function () {
          var s = state.detail.status;
          if (++n < 10 && TERMINAL.indexOf(s) < 0) { setTimeout(tick, 1000); } else { loadPage(state.page); }
        });
      };
      tick();
    });
  }
  function closeDetail() {
    state.detail = null;
    $("detail-body").hidden = true;
    $("detail-empty").hidden = false;
    $("detail-id").textContent = "";
  }

  // ---- invoke ---------------------------------------------------------------------------------

  function invoke() {
    var url = servicePath($("svc").value, $("qual").value) + "/functions/" + encodeURIComponent($("fn").value) + "/invocations";
    var headers = { "X-Fc-Invocation-Type": "Async", "Content-Type": "application/octet-stream" };
    if ($("invoke-id").value) { headers["X-Fc-Stateful-Async-Invocation-Id"] = $("invoke-id").value; }
    var body = $("invoke-payload").value;
    return call("POST", url, { headers: headers, body: body }).then(function (r) {
      var out = $("invoke-result");
      out.textContent = "";
      if (!r.ok) { out.appendChild(el("div", { class: "error-box", text: errorText(r) })); return; }
      var id = r.headers.get("X-Fc-Stateful-Async-Invocation-Id") || headers["X-Fc-Stateful-Async-Invocation-Id"] || "";
      out.appendChild(el("p", { class: "ok", text: r.status + " accepted: " + id + " (request " + (r.headers.get("X-Fc-Request-Id") || "") + ")" }));
      out.appendChild(el("pre", { class: "mono", text: curlOf("POST", url, headers, body) }));
      loadServices().then(function () { return loadPage(0); }).then(function () {
        if (id) { openDetail({ invocationId: id, serviceName: $("svc").value, qualifier: $("qual").value, functionName: $("fn").value }); }
      });
    });
  }

  // ---- resources (public FC API: ListServices, ListFunctions, ListVersions, ListAliases) ------

  var EMPTY_ZIP = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="; // an empty zip archive: stored, never run
  // listAll reads every page of an FC list (nextToken), up to a bound.
  function listAll(url, key) {
    var items = [];
    var page = function (token, n) {
      var u = url + (url.indexOf("?") < 0 ? "?" : "&") + "limit=100" + (token ? "&nextToken=" + encodeURIComponent(token) : "");
      return call("GET", u).then(function (r) {
        if (!r.ok || !r.json) { throw new Error(errorText(r)); }
        items = items.concat(r.json[key] || []);
        return r.json.nextToken && n < 50 ? page(r.json.nextToken, n + 1) : items;
      });
    };
    return page("", 0);
  }
  function loadResourceServices() {
    return listAll(FC + "/services", "services").then(function (svcs) {
      fill($("res-svc"), svcs.map(function (s) { return s.serviceName; }));
      if (!$("res-svc").value && svcs.length) { $("res-svc").value = svcs[0].serviceName; }
      return loadResources();
    }, function (e) { showError($("res-error"), "Cannot list the services: " + e.message); });
  }
  function cell(text, cls) { return el("td", { class: cls || "", text: text === undefined || text === null ? "" : String(text) }); }
  function loadResources() {
    var svc = $("res-svc").value;
    if (!svc) { return Promise.resolve(); }
    var base = FC + "/services/" + encodeURIComponent(svc);
    $("resources").setAttribute("aria-busy", "true");
    return Promise.all([listAll(base + "/functions", "functions"), listAll(base + "/versions", "versions"), listAll(base + "/aliases", "aliases")])
      .then(function (got) {
        showError($("res-error"), "");
        var fns = $("res-fns").tBodies[0], vs = $("res-versions").tBodies[0], al = $("res-aliases");
        fns.textContent = ""; vs.textContent = ""; al.textContent = "";
        got[0].forEach(function (f) {
          fns.appendChild(el("tr", { "data-name": f.functionName }, [cell(f.functionName, "mono"), cell(f.runtime), cell(f.handler, "mono"), cell(f.memorySize), cell(f.lastModifiedTime, "nowrap")]));
        });
        if (!got[0].length) { fns.appendChild(el("tr", {}, [el("td", { colspan: "5", class: "muted", text: "No functions." })])); }
        offerFunctions(svc, got[0]);
        got[1].forEach(function (v) { vs.appendChild(el("tr", { "data-id": v.versionId }, [cell(v.versionId, "mono"), cell(v.description), cell(v.createdTime, "nowrap")])); });
        if (!got[1].length) { vs.appendChild(el("tr", {}, [el("td", { colspan: "3", class: "muted", text: "No versions." })])); }
        got[2].forEach(function (a) { al.appendChild(el("li", { "data-alias": a.aliasName, class: "mono", text: a.aliasName + " → " + a.versionId })); });
        if (!got[2].length) { al.appendChild(el("li", { class: "muted", text: "No aliases." })); }
      }, function (e) { showError($("res-error"), e.message); })
      .then(function () { $("resources").setAttribute("aria-busy", "false"); });
  }
  // offerFunctions adds functions made since the pickers were read from /_fcmock/services (at
  // page load) to the invocation and rule pickers, with no invocations, without reloading them.
  function offerFunctions(svc, fns) {
    var s = state.services.filter(function (x) { return x.name === svc; })[0];
    if (!s) { return; }
    var added = false;
    fns.forEach(function (f) {
      if (!s.functions.some(function (x) { return x.name === f.functionName; })) { s.functions.push({ name: f.functionName, invocations: 0 }); added = true; }
    });
    if (added && $("svc").value === svc) { serviceChanged(); }
    if (added) { ruleServiceChanged(); }
  }
  function createFunction() {
    var svc = $("res-svc").value;
    var body = JSON.stringify({ functionName: $("res-name").value.trim(), runtime: $("res-runtime").value, handler: $("res-handler").value.trim(), code: { zipFile: EMPTY_ZIP } });
    var url = FC + "/services/" + encodeURIComponent(svc) + "/functions";
    return call("POST", url, { headers: { "Content-Type": "application/json" }, body: body }).then(function (r) {
      var out = $("res-result");
      out.textContent = "";
      if (!r.ok) { out.appendChild(el("div", { class: "error-box", role: "alert", text: "HTTP " + r.status + " " + errorText(r) })); return; }
      out.appendChild(el("p", { class: "ok", text: "Created " + svc + "/" + r.json.functionName + " (Etag " + (r.headers.get("Etag") || "") + ")" }));
      // The invocation pickers offer it too.
      return loadServices().then(ruleServiceChanged).then(loadResources);
    }, function (e) { $("res-result").textContent = "Network error: " + e; });
  }

  // ---- clock (shown only when the mock has /_fcmock/clock) ----------------------------------

  function loadClock() {
    return call("GET", ADMIN + "clock").then(function (r) {
      if (!r.ok || !r.json || typeof r.json.now !== "number") { $("clock").hidden = true; return; }
      $("clock").hidden = false;
      $("clock-now").textContent = fmtTime(r.json.now) + " (" + r.json.now + ")";
      $("clock-kind").textContent = r.json.virtual ? "virtual" : "real (start fcmock with --clock virtual to move it)";
      ["clock-advance", "clock-advance-go", "clock-set", "clock-set-go"].forEach(function (id) { $(id).disabled = !r.json.virtual; });
      if (!$("clock-set").value) { $("clock-set").value = toLocalInput(r.json.now); }
    }, function () { $("clock").hidden = true; });
  }
  function moveClock(body) {
    return call("POST", ADMIN + "clock", { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }).then(function (r) {
      $("clock-result").textContent = r.ok ? "" : errorText(r);
      return loadClock().then(function () { return loadPage(state.page); }).then(refreshDetail);
    });
  }

  // ---- scenario rules --------------------------------------------------------------------------

  function describeRule(r) {
    var match = [r.service || "any service", r.function || "any function", r.operation || "any operation"].join(" / ");
    var effect = [r.error ? "error=" + r.error : "", r.delay ? "delay=" + r.delay : "", r.empty ? "empty" : ""].filter(Boolean).join("; ");
    return match + " → " + effect;
  }
  function loadRules() {
    return call("GET", ADMIN + "scenarios").then(function (r) {
      if (!r.ok) { return; }
      if (!$("rule-error").options.length || $("rule-error").options.length === 1) {
        fill($("rule-error"), r.json.codes || [], 1);
        fill($("rule-op"), r.json.operations || [], 1);
      }
      renderRules(r.json.rules || []);
    });
  }
  function renderRules(rules) {
    state.rules = rules;
    var ul = $("rules");
    ul.textContent = "";
    rules.forEach(function (rule, i) {
      var rm = el("button", { type: "button", text: "Remove", "aria-label": "Remove rule " + (i + 1) });
      rm.addEventListener("click", function () { putRules(state.rules.filter(function (_, j) { return j !== i; })); });
      ul.appendChild(el("li", {}, [el("span", { class: "mono", text: describeRule(rule) }), " ", rm]));
    });
    if (!rules.length) { ul.appendChild(el("li", { class: "muted", text: "No rules: every request gets its normal answer." })); }
    $("banner").hidden = !rules.length;
    $("banner-text").textContent = rules.map(describeRule).join(" · ");
  }
  function putRules(rules) {
    return call("PUT", ADMIN + "scenarios", { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rules: rules }) }).then(function (r) {
      if (!r.ok) { showError($("rule-error-box"), errorText(r)); return; }
      showError($("rule-error-box"), "");
      renderRules(r.json.rules || []);
      return loadPage(state.page);
    });
  }
  function addRule() {
    var rule = {};
    if ($("rule-svc").value) { rule.service = $("rule-svc").value; }
    if ($("rule-fn").value) { rule.function = $("rule-fn").value; }
    if ($("rule-op").value) { rule.operation = $("rule-op").value; }
    if ($("rule-error").value) { rule.error = $("rule-error").value; }
    if ($("rule-delay").value.trim()) { rule.delay = $("rule-delay").value.trim(); }
    if ($("rule-empty").checked) { rule.empty = true; }
    return putRules(state.rules.concat([rule]));
  }

  // ---- journal (polled) -------------------------------------------------------------------------

  // The journal is read incrementally when its entries carry a sequence number (?after=, a
  // page at a time), else whole; the newest JOURNAL_KEEP are shown, newest first.
  var JOURNAL_KEEP = 200;
  function fetchJournal() {
    var url = ADMIN + "requests" + (state.journalSeq ? "?after=" + state.journalSeq : "");
    return call("GET", url).then(function (r) {
      if (!r.ok || !r.json) { return false; }
      var got = r.json.requests || [];
      var incremental = got.length > 0 && typeof got[0].seq === "number";
      if (!incremental && !state.journalSeq) { state.journal = got.slice(); return false; }
      state.journal = state.journal.concat(got).slice(-JOURNAL_KEEP);
      if (got.length) { state.journalSeq = got[got.length - 1].seq; }
      return Boolean(r.json.next); // more pages to read
    });
  }
  function loadJournal() {
    var pages = 0;
    var more = function (again) { return again && ++pages < 20 ? fetchJournal().then(more) : null; };
    return Promise.all([fetchJournal().then(more), loadRules()]).then(function () {
      var entries = state.journal.slice(-100).reverse();
      $("journal-count").textContent = "(" + state.journal.length + (state.journal.length === 1 ? " request" : " requests") + ", newest first)";
      var tbody = $("journal").tBodies[0];
      tbody.textContent = "";
      entries.forEach(function (e) {
        var url = e.path + (e.query ? "?" + e.query : "");
        var cp = el("button", { type: "button", text: "curl", "aria-label": "Copy request " + e.requestId + " as curl" });
        cp.addEventListener("click", function () { copyText(curlOf(e.method, url)); });
        tbody.appendChild(el("tr", { "data-request-id": e.requestId || "" }, [
          el("td", { class: "mono nowrap", text: fmtTime(Date.parse(e.time)).slice(11), title: e.time }),
          el("td", { class: e.status >= 400 ? "err" : "ok", text: String(e.status) }),
          el("td", { class: "err", text: e.errorCode || "" }),
          el("td", { class: "mono nowrap", text: e.latencyMs.toFixed(1) + " ms" }),
          el("td", { class: "mono", text: e.scenario || "" }),
          el("td", {}, [cp]),
          el("td", { class: "mono url", text: e.method + " " + url })
        ]));
      });
      if (!entries.length) { tbody.appendChild(el("tr", {}, [el("td", { colspan: "7", class: "muted", text: "No requests yet." })])); }
    });
  }
  function scheduleJournal() {
    clearTimeout(state.journalTimer);
    if (!$("journal-live").checked) { return; }
    state.journalTimer = setTimeout(function () { loadJournal().then(scheduleJournal, scheduleJournal); }, 1500);
  }

  // ---- wiring -----------------------------------------------------------------------------------

  function wire() {
    $("filters").addEventListener("submit", function (e) { e.preventDefault(); state.tokens = []; loadPage(0); });
    $("svc").addEventListener("change", function () { serviceChanged(); state.tokens = []; loadPage(0); });
    $("fn").addEventListener("change", function () { state.tokens = []; loadPage(0); });
    $("qual").addEventListener("change", function () { state.tokens = []; loadPage(0); });
    $("next").addEventListener("click", function () { loadPage(state.page + 1); });
    $("first").addEventListener("click", function () { loadPage(0); });
    $("list-curl").addEventListener("click", function () { copyText(curlOf("GET", state.listURL)); });
    $("detail-refresh").addEventListener("click", refreshDetail);
    $("detail-stop").addEventListener("click", stopDetail);
    $("detail-curl-copy").addEventListener("click", function () { copyText($("detail-curl").textContent); });
    $("detail-close").addEventListener("click", closeDetail);
    $("rule-svc").addEventListener("change", ruleServiceChanged);
    $("rule-form").addEventListener("submit", function (e) { e.preventDefault(); addRule(); });
    $("banner-clear").addEventListener("click", function () { putRules([]); });
    $("journal-live").addEventListener("change", function () { loadJournal(); scheduleJournal(); });
    $("journal-clear").addEventListener("click", function () {
      call("DELETE", ADMIN + "requests").then(function () { state.journal = []; return loadJournal(); });
    });
    $("invoke-form").addEventListener("submit", function (e) { e.preventDefault(); invoke(); });
    $("res-svc").addEventListener("change", loadResources);
    $("res-refresh").addEventListener("click", loadResourceServices);
    $("res-form").addEventListener("submit", function (e) { e.preventDefault(); createFunction(); });
    $("clock-advance-form").addEventListener("submit", function (e) { e.preventDefault(); moveClock({ advance: $("clock-advance").value }); });
    $("clock-set-form").addEventListener("submit", function (e) { e.preventDefault(); moveClock({ set: new Date($("clock-set").value).getTime() }); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && state.detail) { closeDetail(); $("inv-table").querySelector("button") && $("inv-table").querySelector("button").focus(); }
    });
  }

  wire();
  Promise.all([loadSpec(), loadServices(), loadRules(), loadClock(), loadResourceServices()])
    .then(function () { ruleServiceChanged(); return loadPage(0); })
    .then(function () { return loadJournal(); })
    .then(function () { document.body.dataset.ready = "true"; scheduleJournal(); });
})();

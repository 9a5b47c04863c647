/* engram web UI: small progressive enhancements over server-rendered pages. Every page
   works without this file; with it, searches and "more" lists load in place, with a loading
   state and errors shown. It talks only to the host that served the page. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var status = document.getElementById("status");

  function say(message, kind) {
    if (!status) return;
    status.textContent = message || "";
    status.dataset.kind = kind || "";
  }

  function parse(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  /* GET a fragment of this server; an error page's message becomes the Error's message. */
  function fetchHTML(url) {
    return fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (r) {
        return r.text().then(function (text) {
          if (r.ok) return text;
          var found = parse(text).querySelector("[data-error]");
          var json = null;
          try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
          var msg = found ? found.textContent
            : json && json.error ? json.error.message : "HTTP " + r.status;
          throw new Error(msg);
        });
      }, function () { throw new Error("the server did not answer (is engram serve still running?)"); });
  }

  function errorBox(text) {
    var p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.dataset.error = "";
    p.textContent = text;
    return p;
  }

  window.engram = { say: say, fetchHTML: fetchHTML, parse: parse, errorBox: errorBox };

  /* The bank selector reloads the page on a bank picked with the mouse; from the keyboard
     (where every arrow key is a change) its Go button does. */
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    var pointer = false;
    el.addEventListener("pointerdown", function () { pointer = true; });
    el.addEventListener("keydown", function () { pointer = false; });
    el.addEventListener("change", function () { if (pointer) el.form.submit(); });
  });

  /* Search: the results are fetched and swapped in; the URL keeps the query. */
  var form = document.querySelector("form[data-fragment]");
  if (form) {
    var target = document.querySelector(form.dataset.target);
    var running = 0;
    var run = function () {
      var params = new URLSearchParams(new FormData(form));
      if (!(params.get("q") || "").trim()) { return; }
      var mine = ++running;
      target.setAttribute("aria-busy", "true");
      target.classList.add("loading");
      say("Searching…");
      fetchHTML(form.dataset.fragment + "?" + params).then(function (html) {
        if (mine !== running) return;
        target.innerHTML = html; /* rendered (and escaped) by the server */
        var n = target.querySelectorAll(".hit").length;
        say(n + " hit" + (n === 1 ? "" : "s"));
        history.replaceState(null, "", "/?" + params);
      }, function (err) {
        if (mine !== running) return;
        target.replaceChildren(errorBox("Search failed: " + err.message));
        say("Search failed", "error");
      }).finally(function () {
        if (mine !== running) return;
        target.setAttribute("aria-busy", "false");
        target.classList.remove("loading");
      });
    };
    form.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    form.querySelectorAll("[data-rerun]").forEach(function (el) {
      el.addEventListener("change", run);
    });
  }

  /* "More" links (facts, trace nodes): the next page is appended in place. */
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[data-more]") : null;
    if (!a) return;
    ev.preventDefault();
    var row = a.closest(".more-row");
    var inList = row.parentElement.matches("ul, ol");
    var list = inList ? row.parentElement : row.parentElement.querySelector("ol, ul");
    a.setAttribute("aria-busy", "true");
    a.classList.add("loading");
    say("Loading…");
    fetchHTML(a.dataset.more).then(function (html) {
      var frag = parse(html);
      var fresh = frag.querySelector("ol, ul");
      var items = fresh ? Array.prototype.slice.call(fresh.children) : [];
      var nextRow = inList ? null : frag.querySelector(".more-row");
      items.forEach(function (li) { if (inList) list.insertBefore(li, row); else list.append(li); });
      if (nextRow) row.replaceWith(nextRow); else row.remove();
      var first = items.find(function (li) { return !li.classList.contains("more-row"); });
      if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
      say(items.length + " more loaded");
    }, function (err) {
      a.classList.remove("loading");
      a.removeAttribute("aria-busy");
      row.append(errorBox("Could not load more: " + err.message));
      say("Loading failed", "error");
    });
  });

  /* Trace trees: expand or collapse every node at once. */
  document.querySelectorAll("[data-tree]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.dataset.tree === "open";
      document.querySelectorAll(".tree details").forEach(function (d) { d.open = open; });
    });
  });
})();

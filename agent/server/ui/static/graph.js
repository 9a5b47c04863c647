/* The entity card's neighbourhood graph (cytoscape): the entity and its nearest entities,
   from the page; clicking a node (or its "expand" button in the list under the graph) adds
   that node's own neighbours from GET /v1/banks/{bank}/neighbourhood on this server. The graph
   never holds more than MAX_NODES nodes: it is a bounded view, not the whole bank. */
(function () {
  "use strict";
  var el = document.getElementById("graph");
  if (!el || !window.cytoscape) return;
  var MAX_NODES = 150;
  var LIMIT = 12;
  var bank = el.dataset.bank;
  var list = document.getElementById("graph-nodes");
  var selection = document.getElementById("graph-selection");
  var expanded = {};
  var say = window.engram ? window.engram.say : function () {};

  var cy = window.cytoscape({
    container: el,
    minZoom: 0.3,
    maxZoom: 2.5,
    style: [
      { selector: "node", style: {
        "label": "data(name)", "font-size": 11, "color": "#1d2733", "text-valign": "bottom",
        "text-margin-y": 4, "background-color": "#7d9ec0", "width": "data(size)",
        "height": "data(size)", "text-wrap": "ellipsis", "text-max-width": 110,
        "border-width": 1, "border-color": "#4f6f91" } },
      { selector: "node.centre", style: { "background-color": "#d9822b", "border-color": "#9c5410",
        "font-weight": "bold" } },
      { selector: "node.expanded", style: { "border-width": 3 } },
      { selector: "node:selected", style: { "border-color": "#111", "border-width": 4 } },
      { selector: "edge", style: { "width": "data(width)", "line-color": "#b8c4d0",
        "curve-style": "haystack", "opacity": 0.8 } }
    ]
  });

  function size(facts) { return 16 + Math.min(34, 6 * Math.log(1 + (facts || 0))); }

  function entityUrl(name) {
    return "/entities/" + encodeURIComponent(name) + "?bank=" + encodeURIComponent(bank);
  }

  function addNode(doc, centre) {
    var node = cy.getElementById(doc.id);
    if (node.nonempty()) return 0;
    if (cy.nodes().length >= MAX_NODES) return -1;
    cy.add({ group: "nodes", data: { id: doc.id, name: doc.name, kind: doc.kind,
      facts: doc.facts, size: size(doc.facts) }, classes: centre ? "centre" : "" });
    if (!centre) listItem(doc);
    return 1;
  }

  function listItem(doc) {
    if (!list || list.querySelector('[data-node-id="' + CSS.escape(doc.id) + '"]')) return;
    var li = document.createElement("li");
    li.dataset.nodeId = doc.id;
    var a = document.createElement("a");
    a.href = entityUrl(doc.name);
    a.textContent = doc.name;
    var meta = document.createElement("span");
    meta.className = "muted";
    meta.textContent = " " + (doc.kind || "") + " · " + (doc.facts || 0) + " facts ";
    var b = document.createElement("button");
    b.type = "button";
    b.className = "link";
    b.dataset.expand = doc.id;
    b.textContent = "expand";
    li.append(a, meta, b);
    list.append(li);
  }

  /* One neighbourhood document (the REST shape) into the graph; returns nodes added. */
  function addHood(doc) {
    var added = 0, full = false;
    addNode(doc.entity, cy.nodes().length === 0);
    doc.nodes.forEach(function (n) {
      var r = addNode(n, false);
      if (r < 0) full = true; else added += r;
    });
    doc.edges.forEach(function (e) {
      var id = e.source < e.target ? e.source + "|" + e.target : e.target + "|" + e.source;
      if (cy.getElementById(id).empty() && cy.getElementById(e.source).nonempty()
          && cy.getElementById(e.target).nonempty()) {
        cy.add({ group: "edges", data: { id: id, source: e.source, target: e.target,
          width: 1 + Math.min(6, Math.log(1 + e.weight)) } });
      }
    });
    expanded[doc.entity.id] = true;
    cy.getElementById(doc.entity.id).addClass("expanded");
    el.dataset.nodes = String(cy.nodes().length);
    return { added: added, full: full };
  }

  function layout(first) {
    var opts = first
      ? { name: "concentric", concentric: function (n) { return n.hasClass("centre") ? 2 : 1; },
          levelWidth: function () { return 1; }, minNodeSpacing: 24, animate: false }
      : { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 9000; },
          idealEdgeLength: function () { return 70; }, numIter: 600 };
    cy.layout(opts).run();
    cy.fit(undefined, 24);
    if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(); }
  }

  function select(id) {
    var node = cy.getElementById(id);
    if (node.empty() || !selection) return;
    cy.nodes().unselect();
    node.select();
    selection.replaceChildren();
    var a = document.createElement("a");
    a.href = entityUrl(node.data("name"));
    a.textContent = "Open " + node.data("name");
    selection.append(document.createTextNode(node.data("name") + " (" + (node.data("kind") || "")
      + ", " + (node.data("facts") || 0) + " facts) · "), a);
  }

  function expand(id) {
    select(id);
    if (expanded[id]) { say("Already expanded"); return; }
    if (cy.nodes().length >= MAX_NODES) {
      say("The graph holds " + MAX_NODES + " nodes; open an entity's page to go further", "error");
      return;
    }
    el.setAttribute("aria-busy", "true");
    el.classList.add("loading");
    say("Loading neighbours…");
    var url = "/v1/banks/" + encodeURIComponent(bank) + "/neighbourhood?entity="
      + encodeURIComponent(id) + "&limit=" + LIMIT;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (doc) {
          if (!r.ok) throw new Error(doc && doc.error ? doc.error.message : "HTTP " + r.status);
          return doc;
        });
      })
      .then(function (doc) {
        var got = addHood(doc);
        layout(false);
        select(id);
        say(got.added + " neighbours added" + (got.full ? " (graph full)" : ""));
      }, function (err) { say("Could not expand: " + err.message, "error"); })
      .finally(function () { el.removeAttribute("aria-busy"); el.classList.remove("loading"); });
  }

  cy.on("tap", "node", function (ev) { expand(ev.target.id()); });
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("[data-expand]") : null;
    if (b) expand(b.dataset.expand);
  });

  var first = JSON.parse(document.getElementById(el.dataset.graph).textContent);
  addHood(first);
  layout(true);
  el.dataset.ready = "1";
  window.engramGraph = cy;
})();

// Filters and review decisions. The page is complete without this script; decisions live in this browser's
// localStorage until exported as JSON (`briefs review --decisions FILE` reads the export).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var edition = document.body.dataset.edition;
  var storeKey = "briefs-review:" + edition;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".group"));
  var form = document.getElementById("filters");

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(decisions)); } catch (e) { /* private mode: kept in memory */ }
  }
  var decisions = load();

  function label(d, card) {
    if (!d) return "not reviewed";
    var what = { approved: "approved", changes: "changes requested", comment: "commented" }[d.decision] || d.decision;
    if (d.sha256 && d.sha256 !== card.dataset.sha256) what += " (on an earlier build: review again)";
    return what;
  }

  function show(card) {
    var d = decisions[card.dataset.key];
    var box = card.querySelector(".decision");
    card.dataset.decision = d ? d.decision : "none";
    box.querySelector(".state").textContent = label(d, card);
    var ta = box.querySelector("textarea");
    if (document.activeElement !== ta) ta.value = d && d.comment ? d.comment : "";
  }

  function decide(card, decision) {
    var ta = card.querySelector(".decision textarea");
    decisions[card.dataset.key] = {
      decision: decision, comment: ta.value, sha256: card.dataset.sha256, at: new Date().toISOString()
    };
    save(); show(card); tally(); apply();
  }

  cards.forEach(function (card) {
    card.querySelectorAll("button[data-decision]").forEach(function (b) {
      b.addEventListener("click", function () { decide(card, b.dataset.decision); });
    });
    card.querySelector(".decision textarea").addEventListener("change", function () {
      var d = decisions[card.dataset.key];
      decide(card, d ? d.decision : "comment");
    });
    show(card);
  });

  function tally() {
    var approved = cards.filter(function (c) { return c.dataset.decision === "approved"; }).length;
    var changes = cards.filter(function (c) { return c.dataset.decision === "changes"; }).length;
    document.getElementById("tally").textContent =
      approved + " approved, " + changes + " with changes requested, " + (cards.length - approved - changes) + " other";
  }

  function apply() {
    var f = form.elements, shown = 0;
    cards.forEach(function (c) {
      var ok = (!f.changed.checked || c.dataset.changed === "true")
        && (!f.warned.checked || c.dataset.warned === "true")
        && (!f.locale.value || c.dataset.locale === f.locale.value)
        && (!f.audience.value || c.dataset.audience === f.audience.value)
        && (!f.document.value || c.dataset.document === f.document.value)
        && (!f.decision.value || c.dataset.decision === f.decision.value);
      c.hidden = !ok;
      if (ok) shown++;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector(".card:not([hidden])"); });
    document.getElementById("shown").textContent = shown + " of " + cards.length + " cards";
    var p = new URLSearchParams();
    if (f.changed.checked) p.set("changed", "");
    if (f.warned.checked) p.set("warned", "");
    ["locale", "audience", "document", "decision"].forEach(function (n) { if (f[n].value) p.set(n, f[n].value); });
    var hash = p.toString().replace(/=(&|$)/g, "$1");
    try { history.replaceState(null, "", hash ? "#" + hash : location.pathname); } catch (e) { /* file:// in some browsers */ }
  }

  // Filters from the address: index.html#changed&locale=fr-CA
  var initial = new URLSearchParams(location.hash.slice(1));
  form.elements.changed.checked = initial.has("changed");
  form.elements.warned.checked = initial.has("warned");
  ["locale", "audience", "document", "decision"].forEach(function (n) {
    if (initial.get(n)) form.elements[n].value = initial.get(n);
  });
  form.addEventListener("change", apply);

  var reviewer = document.getElementById("reviewer");
  try { reviewer.value = localStorage.getItem("briefs-review:reviewer") || ""; } catch (e) { /* none */ }
  reviewer.addEventListener("change", function () {
    try { localStorage.setItem("briefs-review:reviewer", reviewer.value); } catch (e) { /* none */ }
  });

  document.getElementById("export").addEventListener("click", function () {
    var out = {
      format: "briefs-review-decisions", version: 1, edition: edition, reviewer: reviewer.value,
      exported: new Date().toISOString(),
      decisions: cards.filter(function (c) { return decisions[c.dataset.key]; }).map(function (c) {
        var d = decisions[c.dataset.key];
        return {
          document: c.dataset.document, locale: c.dataset.locale, audience: c.dataset.audience,
          decision: d.decision, comment: d.comment || "", sha256: d.sha256 || "", at: d.at || ""
        };
      })
    };
    var blob = new Blob([JSON.stringify(out, null, 2) + "\n"], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "review-decisions-" + edition + ".json";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  // Page images that did not load (a site copied without its pages/ folder): said at the top, counted on <body>.
  function images() {
    var imgs = Array.prototype.slice.call(document.querySelectorAll(".pages img"));
    var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
    document.body.dataset.images = ok + " of " + imgs.length;
    if (ok < imgs.length) {
      var p = document.createElement("p");
      p.className = "note missing";
      p.textContent = (imgs.length - ok) + " page image(s) did not load: keep the pages/ folder beside index.html";
      document.querySelector("header.top").appendChild(p);
    }
  }
  if (document.readyState === "complete") images(); else window.addEventListener("load", images);

  tally();
  apply();
})();

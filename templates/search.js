// Charter site search. Reads the static index that `charter build` writes to
// <home>search/ (see src/search.rs for the format), splits the query exactly as the
// index splits text — runs of Chinese, Japanese or Korean characters into single
// characters and neighbouring pairs, everything else into lower-cased words — and
// shows the best pages with an excerpt where the match is highlighted. No other host,
// no framework; without JavaScript the search box is simply not there.
(function () {
  "use strict";
  var box = document.getElementById("site-search");
  if (!box || !window.fetch) return;
  var base = box.getAttribute("data-index");
  var t = {
    placeholder: box.getAttribute("data-placeholder") || "Search",
    none: box.getAttribute("data-none") || "No results for {q}",
    count: box.getAttribute("data-count") || "{n} results for {q}",
  };
  var TERM_BYTES = 15;
  var MAX_RESULTS = 20;
  var encoder = new TextEncoder();

  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
      (n >= 0xf900 && n <= 0xfaff) || (n >= 0xac00 && n <= 0xd7af) || (n >= 0x20000 && n <= 0x2ffff);
  }
  var alnum = /[\p{L}\p{N}]/u;

  function cut(term) {
    var bytes = encoder.encode(term);
    if (bytes.length <= TERM_BYTES) return term;
    var out = "";
    for (var ch of term) {
      if (encoder.encode(out + ch).length > TERM_BYTES) break;
      out += ch;
    }
    return out;
  }

  // The terms of a query, and the runs of text to highlight in excerpts.
  function split(query) {
    var terms = [], marks = [], word = "", run = "";
    function flushWord() { if (word) { terms.push(cut(word)); marks.push(word); word = ""; } }
    function flushRun() {
      if (!run) return;
      var chars = Array.from(run);
      if (chars.length === 1) terms.push(run);
      for (var i = 1; i < chars.length; i++) terms.push(chars[i - 1] + chars[i]);
      marks.push(run);
      run = "";
    }
    for (var c of query) {
      if (isCjk(c)) { flushWord(); run += c; }
      else if (alnum.test(c)) { flushRun(); word += c.toLowerCase(); }
      else { flushWord(); flushRun(); }
    }
    flushWord(); flushRun();
    return { terms: Array.from(new Set(terms)), marks: marks };
  }

  function fnv1a(s) {
    var h = 0x811c9dc5;
    var bytes = encoder.encode(s);
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  var cache = {};
  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      });
    }
    return cache[path];
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  // Names come between U+2068 and U+2069 (the pages' <bdi>). An excerpt can cut such
  // an isolate in two: open what it closes and close what it opens, so that a
  // direction override inside a name cannot turn the rest of the excerpt around.
  function balanced(s) {
    var open = 0, missing = 0;
    for (var c of s) {
      if (c === "\u2066" || c === "\u2067" || c === "\u2068") open++;
      else if (c === "\u2069") { if (open) open--; else missing++; }
    }
    return "\u2068".repeat(missing) + s + "\u2069".repeat(open);
  }

  // Up to 160 characters of `text` around the first match, every match marked.
  function excerpt(text, marks) {
    var lower = text.toLowerCase();
    var first = -1;
    marks.forEach(function (m) {
      var at = lower.indexOf(m.toLowerCase());
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = Math.max(0, first - 40);
    // Marks go around matches in the text, before it is escaped: a term such as `amp`
    // must not match inside `&amp;`. The text's own U+0000/U+0001 are dropped first.
    var piece = balanced(text.slice(start, start + 160).replace(/\s+/g, " ").replace(/[\u0000\u0001]/g, ""));
    marks.slice().sort(function (a, b) { return b.length - a.length; }).forEach(function (m) {
      var re = new RegExp(m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
      piece = piece.replace(re, function (x) { return "\u0000" + x + "\u0001"; });
    });
    var html = escapeHtml(piece).replace(/\u0000/g, "<mark>").replace(/\u0001/g, "</mark>");
    return (start > 0 ? "…" : "") + html + (start + 160 < text.length ? "…" : "");
  }

  var input = document.createElement("input");
  input.type = "search";
  input.className = "search-input";
  input.placeholder = t.placeholder;
  input.setAttribute("aria-label", t.placeholder);
  input.autocomplete = "off";
  var message = document.createElement("p");
  message.className = "search-message";
  message.setAttribute("aria-live", "polite");
  var list = document.createElement("ol");
  list.className = "search-results";
  box.appendChild(input);
  box.appendChild(message);
  box.appendChild(list);

  var latest = 0;
  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) { message.textContent = ""; list.innerHTML = ""; return; }
    var q = split(query);
    if (!q.terms.length) { message.textContent = ""; list.innerHTML = ""; return; }
    load("meta.json").then(function (meta) {
      return Promise.all(q.terms.map(function (term) {
        return load("terms/" + (fnv1a(term) & (meta.shards - 1)) + ".json").then(function (shard) {
          return Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : [];
        });
      })).then(function (lists) {
        // Pages matching most query terms first, then by weight (rarer terms count more).
        var hits = {};
        lists.forEach(function (postings) {
          var idf = Math.log(1 + meta.docs / Math.max(1, postings.length / 2));
          for (var i = 0; i < postings.length; i += 2) {
            var h = hits[postings[i]] || (hits[postings[i]] = { doc: postings[i], terms: 0, score: 0 });
            h.terms += 1;
            h.score += postings[i + 1] * idf;
          }
        });
        var ranked = Object.keys(hits).map(function (k) { return hits[k]; });
        var best = ranked.reduce(function (m, h) { return Math.max(m, h.terms); }, 0);
        ranked = ranked.filter(function (h) { return h.terms === best; });
        ranked.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        var shown = ranked.slice(0, MAX_RESULTS);
        return Promise.all(shown.map(function (h) {
          return load("docs/" + Math.floor(h.doc / meta.chunk) + ".json").then(function (chunk) {
            return chunk[h.doc % meta.chunk];
          });
        })).then(function (docs) { return { total: ranked.length, docs: docs }; });
      });
    }).then(function (found) {
      if (ticket !== latest) return;
      list.innerHTML = "";
      var text = found.total ? t.count.replace("{n}", found.total) : t.none;
      message.textContent = text.replace("{q}", "“" + query + "”");
      found.docs.forEach(function (doc) {
        var li = document.createElement("li");
        li.className = "search-result";
        var a = document.createElement("a");
        a.href = box.getAttribute("data-home") + doc[0];
        a.textContent = doc[1] || doc[0];
        var p = document.createElement("p");
        p.innerHTML = excerpt(doc[2], q.marks);
        li.appendChild(a);
        li.appendChild(p);
        list.appendChild(li);
      });
    }).catch(function (e) {
      if (ticket === latest) message.textContent = String(e);
    });
  }
  var timer = 0;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 80); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; run(); }
  });
})();

// Charter site search. Reads the static index that `charter build` writes to
// <home>search/ (see src/search/mod.rs for the format: gzipped files, inflated with
// DecompressionStream; one query fetches meta.json, the shard of each of its terms and
// the small document group of each result shown, found by meta.json's group sizes),
// splits the query exactly as the index splits text — runs of Chinese, Japanese or
// Korean characters into neighbouring pairs (a lone character as itself), everything
// else into lower-cased words — and
// ranks pages exactly as `charter::search::rank` does (src/search/rank.rs): the integer
// scores the index ships for each term summed, times the square of how many query
// terms a page holds. The search box is an ARIA combobox whose suggestions overlay the
// page; Enter opens the results page `search/?q=…`, which lists every result, a page at
// a time. No other host, no framework; without JavaScript the search box is simply not
// there.
(function () {
  "use strict";
  var box = document.getElementById("site-search");
  // Without fetch or DecompressionStream (browsers before 2023) there is no search box.
  if (!box || !window.fetch || !window.DecompressionStream) return;
  // The site's home (relative to this page); the index is its `search/` folder.
  var home = box.getAttribute("data-home");
  var base = home + "search/";
  // The search box's words in every interface language, by language tag: `charter
  // build` writes them over the marker (from src/base/i18n.rs), once for the whole
  // site rather than on every page. The page's `<html lang>` picks them; a tag the
  // table lacks falls back to one of the same primary language, then to English.
  var words = {/*search-words*/};
  var lang = (document.documentElement.lang || "").toLowerCase();
  var t = words[Object.keys(words).filter(function (k) { return k.toLowerCase() === lang; })[0]] ||
    words[Object.keys(words).filter(function (k) { return k.split("-")[0].toLowerCase() === lang.split("-")[0]; })[0]] ||
    words.en;
  var TERM_BYTES = 15;
  var SUGGESTIONS = 8;
  var PAGE = 20;
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

  // The terms of a query (as `query_terms` in rank.rs), and what to highlight: each
  // word, and every piece of two or more characters of a Chinese run (a lone character
  // as itself), so that 服务态度投诉 marks 服务态度 and 投诉 where they stand apart.
  function split(query) {
    var terms = [], marks = [], word = "", run = "";
    function add(list, x) { if (list.indexOf(x) < 0) list.push(x); }
    function flushWord() { if (word) { add(terms, cut(word)); add(marks, word); word = ""; } }
    function flushRun() {
      if (!run) return;
      var chars = Array.from(run);
      if (chars.length === 1) { add(terms, run); add(marks, run); }
      for (var i = 1; i < chars.length; i++) add(terms, chars[i - 1] + chars[i]);
      for (var a = 0; a < chars.length; a++) {
        for (var b = a + 2; b <= chars.length; b++) add(marks, chars.slice(a, b).join(""));
      }
      run = "";
    }
    for (var c of query) {
      if (isCjk(c)) { flushWord(); run += c; }
      else if (alnum.test(c)) { flushRun(); word += c.toLowerCase(); }
      else { flushWord(); flushRun(); }
    }
    flushWord(); flushRun();
    marks.sort(function (x, y) { return y.length - x.length; });
    return { terms: terms, marks: marks };
  }

  // Bundle files are gzipped (src/search/codec.rs) and inflated here with the browser's
  // own DecompressionStream; a server that sent one with `Content-Encoding: gzip` has
  // had the browser inflate it already (no gzip magic left), so it is used as it is.
  var decoder = new TextDecoder();
  function bytesOf(r) {
    return r.arrayBuffer().then(function (buf) {
      var b = new Uint8Array(buf);
      if (b.length < 2 || b[0] !== 0x1f || b[1] !== 0x8b) return b;
      var inflated = new Blob([b]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(inflated).arrayBuffer().then(function (out) { return new Uint8Array(out); });
    });
  }
  function json(bytes) { return JSON.parse(decoder.decode(bytes)); }

  // A term shard: per term its UTF-8 length and bytes, how many pages hold it, then per
  // page the gap from the previous page and its score's difference from the previous
  // score zigzagged (0, -1, 1, -2 … as 0, 1, 2, 3 …), all LEB128 varints; read into
  // term → [page, score, page, score, …] (as `decode_shard` in codec.rs).
  function shard(bytes) {
    var at = 0, out = new Map();
    function varint() {
      var n = 0, mul = 1, b;
      do { b = bytes[at++]; n += (b & 0x7f) * mul; mul *= 128; } while (b >= 0x80);
      return n;
    }
    while (at < bytes.length) {
      var len = varint();
      var term = decoder.decode(bytes.subarray(at, at + len));
      at += len;
      var count = varint(), list = new Array(count * 2), doc = 0, score = 0;
      for (var i = 0; i < count; i++) {
        doc += varint();
        var z = varint();
        score += z % 2 ? -(z + 1) / 2 : z / 2;
        list[2 * i] = doc;
        list[2 * i + 1] = score;
      }
      out.set(term, list);
    }
    return out;
  }

  // Terms compared by code point (the byte order the index sorts them in, which
  // comparing JavaScript strings by UTF-16 unit is not).
  function compare(a, b) {
    for (var i = 0; i < a.length && i < b.length;) {
      var x = a.codePointAt(i), y = b.codePointAt(i);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
    }
    return a.length - b.length;
  }
  // The shard that holds `term`: the number of shard keys at or before it.
  function shardOf(meta, term) {
    var lo = 0, hi = meta.splits.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(meta.splits[mid], term) <= 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  var cache = {};
  function load(path, parse) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return bytesOf(r);
      }).then(parse);
    }
    return cache[path];
  }

  // Every page holding a query term, best first, as `rank` in rank.rs: summed scores
  // times matched², ties to the earlier page.
  function rank(lists) {
    var hits = {};
    lists.forEach(function (postings) {
      for (var i = 0; i + 1 < postings.length; i += 2) {
        var h = hits[postings[i]] || (hits[postings[i]] = { doc: postings[i], matched: 0, sum: 0 });
        h.matched += 1;
        h.sum += postings[i + 1];
      }
    });
    var ranked = Object.keys(hits).map(function (k) {
      var h = hits[k];
      return { doc: h.doc, matched: h.matched, score: h.sum * h.matched * h.matched };
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return ranked;
  }

  function search(query) {
    var q = split(query);
    if (!q.terms.length) return Promise.resolve({ q: q, ranked: [], meta: null });
    return load("meta.json", json).then(function (meta) {
      return Promise.all(q.terms.map(function (term) {
        return load("terms/" + shardOf(meta, term) + ".gz", shard).then(function (terms) {
          return terms.get(term) || [];
        });
      })).then(function (lists) { return { q: q, ranked: rank(lists), meta: meta }; });
    });
  }

  // The group holding page `doc` and its place there: `meta.groups` gives the groups'
  // sizes in runs ([count, size]: count groups of size pages), added up in order (as
  // `Meta::group_of` in read.rs).
  function groupOf(meta, doc) {
    var group = 0, first = 0;
    for (var i = 0; i < meta.groups.length; i++) {
      var count = meta.groups[i][0], size = meta.groups[i][1];
      if (doc < first + count * size) {
        var k = Math.floor((doc - first) / size);
        return [group + k, doc - first - k * size];
      }
      group += count;
      first += count * size;
    }
    return [group, 0];
  }

  function docs(found, from, to) {
    return Promise.all(found.ranked.slice(from, to).map(function (h) {
      var at = groupOf(found.meta, h.doc);
      return load("docs/" + at[0] + ".gz", json).then(function (group) { return group[at[1]]; });
    }));
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

  // The matches of `marks` (longest first) in `s`, left to right, never overlapping.
  function matches(s, marks) {
    var lower = s.toLowerCase(), out = [];
    for (var i = 0; i < lower.length;) {
      var m = null;
      for (var k = 0; k < marks.length; k++) {
        if (lower.startsWith(marks[k].toLowerCase(), i)) { m = marks[k]; break; }
      }
      if (m) { out.push({ at: i, len: m.length, mark: m.toLowerCase() }); i += m.length; } else i++;
    }
    return out;
  }

  var WIDTH = 160;
  // Up to 160 characters of the page's text around its best passage — the window
  // holding the most (and longest) distinct query pieces — every match marked.
  function excerpt(text, marks) {
    var all = matches(text, marks).slice(0, 400);
    var start = 0, best = -1;
    all.forEach(function (m, i) {
      var seen = {}, score = 0;
      for (var j = i; j < all.length && all[j].at < m.at + WIDTH - 40; j++) {
        if (!seen[all[j].mark]) { seen[all[j].mark] = 1; score += all[j].len; }
      }
      if (score > best) { best = score; start = m.at; }
    });
    start = Math.max(0, start - 40);
    // Marks go around matches in the text, before it is escaped: a term such as `amp`
    // must not match inside `&amp;`. The text's own U+0000/U+0001 are dropped first.
    var piece = balanced(text.slice(start, start + WIDTH).replace(/\s+/g, " ").replace(/[\u0000\u0001]/g, ""));
    var out = "", at = 0;
    matches(piece, marks).forEach(function (m) {
      out += escapeHtml(piece.slice(at, m.at)) + "<mark>" + escapeHtml(piece.slice(m.at, m.at + m.len)) + "</mark>";
      at = m.at + m.len;
    });
    out += escapeHtml(piece.slice(at));
    return (start > 0 ? "…" : "") + out + (start + WIDTH < text.length ? "…" : "");
  }

  function resultsUrl(query) { return base + "?q=" + encodeURIComponent(query); }

  // The search box: an ARIA 1.2 combobox with a listbox of suggestions overlaying the
  // page.
  var input = document.createElement("input");
  input.type = "search";
  input.className = "search-input";
  input.placeholder = t.placeholder;
  input.setAttribute("aria-label", t.placeholder);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", "search-suggestions");
  input.autocomplete = "off";
  var panel = document.createElement("div");
  panel.className = "search-panel";
  panel.hidden = true;
  var message = document.createElement("p");
  message.className = "search-message";
  message.id = "search-message";
  message.setAttribute("aria-live", "polite");
  var list = document.createElement("ul");
  list.className = "search-results";
  list.id = "search-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", t.suggestions);
  panel.appendChild(message);
  panel.appendChild(list);
  box.appendChild(input);
  box.appendChild(panel);

  var active = -1;
  function options() { return list.querySelectorAll("[role=option]"); }
  function setOpen(open) {
    panel.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) setActive(-1);
  }
  function setActive(i) {
    var opts = options();
    if (active >= 0 && opts[active]) opts[active].setAttribute("aria-selected", "false");
    active = opts.length ? i : -1;
    if (active >= 0) {
      opts[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function option(id, href, title, html) {
    var li = document.createElement("li");
    li.id = id;
    li.className = "search-result";
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.setAttribute("data-href", href);
    var a = document.createElement("a");
    a.href = href;
    a.tabIndex = -1;
    a.textContent = title;
    li.appendChild(a);
    if (html) {
      var p = document.createElement("p");
      p.innerHTML = html;
      li.appendChild(p);
    }
    return li;
  }

  var latest = 0;
  function suggest() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query || !split(query).terms.length) { message.textContent = ""; list.innerHTML = ""; setOpen(false); return; }
    search(query).then(function (found) {
      return (found.ranked.length ? docs(found, 0, SUGGESTIONS) : Promise.resolve([])).then(function (d) {
        return { found: found, docs: d };
      });
    }).then(function (r) {
      if (ticket !== latest) return;
      list.innerHTML = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      var n = r.found.ranked.length;
      message.textContent = (n ? t.count.replace("{n}", n) : t.none).replace("{q}", "“" + query + "”");
      r.docs.forEach(function (doc, i) {
        list.appendChild(option("search-option-" + i, home + doc[0], doc[1] || doc[0], excerpt(doc[2], r.found.q.marks)));
      });
      if (n) list.appendChild(option("search-option-all", resultsUrl(query), t.all + " (" + n + ")", ""));
      setOpen(true);
    }).catch(function (e) {
      if (ticket === latest) { message.textContent = String(e); setOpen(true); }
    });
  }

  var timer = 0;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(suggest, 80); });
  input.addEventListener("keydown", function (e) {
    var opts = options();
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (panel.hidden) { if (input.value.trim()) { setOpen(true); } return; }
      if (!opts.length) return;
      var down = e.key === "ArrowDown";
      setActive(active < 0 ? (down ? 0 : opts.length - 1) : (active + (down ? 1 : opts.length - 1)) % opts.length);
    } else if (e.key === "Enter") {
      var query = input.value.trim();
      if (!query) return;
      e.preventDefault();
      location.href = !panel.hidden && active >= 0 ? opts[active].getAttribute("data-href") : resultsUrl(query);
    } else if (e.key === "Escape") {
      e.preventDefault();
      clearTimeout(timer);
      latest++;
      input.value = "";
      message.textContent = "";
      list.innerHTML = "";
      setOpen(false);
    }
  });
  list.addEventListener("mousedown", function (e) { e.preventDefault(); });
  list.addEventListener("click", function (e) {
    var li = e.target.closest("[role=option]");
    if (li && !e.target.closest("a")) location.href = li.getAttribute("data-href");
  });
  box.addEventListener("focusout", function (e) {
    if (!box.contains(e.relatedTarget)) setOpen(false);
  });
  input.addEventListener("focus", function () { if (list.children.length) setOpen(true); });

  // The results page: every result for `?q=`, a page of them at a time.
  var page = document.getElementById("search-page-results");
  if (!page) return;
  var query = new URLSearchParams(location.search).get("q") || "";
  // The search box holds the query, to refine it.
  input.value = query;
  if (!query.trim()) return;
  var status = document.createElement("p");
  status.className = "search-page-status";
  status.setAttribute("aria-live", "polite");
  var ol = document.createElement("ol");
  ol.className = "search-page-list";
  var more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.textContent = page.getAttribute("data-more") || "More results";
  more.hidden = true;
  page.appendChild(status);
  page.appendChild(ol);
  page.appendChild(more);
  search(query).then(function (found) {
    var n = found.ranked.length;
    status.textContent = (n ? t.count.replace("{n}", n) : t.none).replace("{q}", "“" + query + "”");
    var shown = 0;
    function next() {
      more.disabled = true;
      return docs(found, shown, shown + PAGE).then(function (d) {
        d.forEach(function (doc) {
          var li = document.createElement("li");
          li.className = "search-result";
          var a = document.createElement("a");
          a.href = home + doc[0];
          a.textContent = doc[1] || doc[0];
          var p = document.createElement("p");
          p.innerHTML = excerpt(doc[2], found.q.marks);
          li.appendChild(a);
          li.appendChild(p);
          ol.appendChild(li);
        });
        var first = ol.children[shown];
        shown += d.length;
        more.hidden = shown >= n;
        more.disabled = false;
        return first;
      });
    }
    more.addEventListener("click", function () {
      next().then(function (first) {
        // Keyboard users continue at the first new result.
        var link = first && first.querySelector("a");
        if (link) link.focus();
      });
    });
    return n ? next() : null;
  }).catch(function (e) { status.textContent = String(e); });
})();

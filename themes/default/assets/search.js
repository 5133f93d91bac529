// Site search: works from a folder (file://) and from a server. The index is written at
// publish time in shards (src/publish/search.rs says how); a query loads only the shards it
// needs, each a script added to the page that hands its data to SIBAI_SEARCH_SHARD.
//
// A page matches when every word of the query is in its title or text; pages with more of the
// words in their title come first, then in the site's order. A word of two characters is
// looked up exactly; a longer one by its pairs of characters, then checked against the page's
// text once that is loaded.
(function () {
  "use strict";
  // The index writes its numbers in letters (search.rs, `letters`): a is 0, ba is 26.
  function num(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) { n = n * 26 + (s.charCodeAt(i) - 97); }
    return n;
  }
  function letters(n) {
    var s = "";
    do { s = String.fromCharCode(97 + (n % 26)) + s; n = Math.floor(n / 26); } while (n > 0);
    return s;
  }
  var given = window.SIBAI_SEARCH_META || { docs: "a", group: "bmm", buckets: "cm", per: "k" };
  var meta = { docs: num(given.docs), group: num(given.group), buckets: num(given.buckets), per: num(given.per) };
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var count = document.getElementById("count");
  var more = document.getElementById("more");
  var root = document.documentElement.getAttribute("data-root") || "";
  var PAGE = 20;

  var shards = {};   // "t:N" or "d:K" -> data, once loaded
  var waiting = {};  // the same keys -> callbacks, while loading
  var arrived = null;
  var failed = false;
  var current = 0;   // the query being answered; older answers are dropped

  // A shard's script calls this as it runs; its load event, which comes right after, takes
  // the data to the file it was asked for.
  window.SIBAI_SEARCH_SHARD = function (kind, a, b) {
    arrived = kind === "t" ? { body: a, title: b } : a;
  };

  // Shard `key` (a number) of `kind` ("t" terms, "d" documents), then done().
  function load(kind, key, done) {
    var id = kind + ":" + key;
    if (shards[id]) { done(); return; }
    if (waiting[id]) { waiting[id].push(done); return; }
    waiting[id] = [done];
    var s = document.createElement("script");
    s.src = root + "search/" + kind + "/" + letters(key) + ".js";
    var finish = function (data) {
      if (!data) { failed = true; data = kind === "t" ? { body: {}, title: {} } : []; }
      shards[id] = data;
      var calls = waiting[id];
      delete waiting[id];
      calls.forEach(function (f) { f(); });
    };
    s.onload = function () { var data = arrived; arrived = null; finish(data); };
    s.onerror = function () { arrived = null; finish(null); };
    document.head.appendChild(s);
  }

  // Loads every shard in `keys` ([kind, key] pairs), then calls done.
  function loadAll(keys, done) {
    var left = keys.length;
    if (left === 0) { done(); return; }
    keys.forEach(function (k) {
      load(k[0], k[1], function () { left -= 1; if (left === 0) { done(); } });
    });
  }

  function fold(s) {
    // Full-width letters and digits as ASCII, lower case, no spaces.
    return s.replace(/[\uFF01-\uFF5E]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    }).replace(/\s+/g, "").toLowerCase();
  }

  // The grams a word is looked up by: itself when one character, else its pairs.
  function gramsOf(word) {
    var chars = Array.from(word);
    if (chars.length === 1) { return chars; }
    var out = [];
    for (var i = 0; i + 1 < chars.length; i++) { out.push(chars[i] + chars[i + 1]); }
    return out;
  }

  function bucket(gram) { return gram.codePointAt(0) % meta.buckets; }

  // Document numbers from the letters the index writes them in (search.rs): a string of
  // distances (`encode`), or an array of one bitmap string (`encode_bitmap`).
  function decode(value, base) {
    if (Array.isArray(value)) {
      var bits = [], map = value[0];
      for (var k = 0; k < map.length; k++) {
        var c = map.charCodeAt(k), v = c >= 97 ? c - 97 : c - 65 + 26;
        for (var bit = 0; bit < 5; bit++) { if (v & (1 << bit)) { bits.push(base + k * 5 + bit); } }
      }
      return bits;
    }
    var text = value, out = [], n = 0, prev = -1;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c < 97) { n = n * 26 + (c - 65); } else {
        n = n * 26 + (c - 97);
        prev += n + 1;
        out.push(base + prev);
        n = 0;
      }
    }
    return out;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) { i++; } else { j++; }
    }
    return out;
  }

  // The documents of every group that hold all of `grams`, in `part` ("body" or "title").
  function holding(grams, part, groups) {
    var all = [];
    for (var g = 0; g < groups; g++) {
      var ids = null;
      for (var k = 0; k < grams.length && (ids === null || ids.length > 0); k++) {
        var shard = shards["t:" + (g * meta.buckets + bucket(grams[k]))];
        var text = shard && shard[part][grams[k]];
        var found = text ? decode(text, g * meta.group) : [];
        ids = ids === null ? found : intersect(ids, found);
      }
      all = all.concat(ids || []);
    }
    return all;
  }

  function doc(id) {
    var rows = shards["d:" + Math.floor(id / meta.per)];
    return rows && rows[id % meta.per];
  }

  function snippet(text, term) {
    var i = fold(text).indexOf(term);
    if (i < 0) { return text.slice(0, 60); }
    var start = Math.max(0, i - 20);
    return (start > 0 ? "…" : "") + text.slice(start, start + 70) + "…";
  }

  function show(d, terms) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + d[1];
    a.textContent = d[0];
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = d[2];
    var p = document.createElement("p");
    p.textContent = snippet(d[3], terms[0]);
    li.appendChild(kind);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(a);
    li.appendChild(p);
    list.appendChild(li);
  }

  function say(found, exact) {
    if (found === 0) { count.textContent = "没有找到相关内容。"; return; }
    count.textContent = (exact ? "找到 " : "找到约 ") + found + " 项：";
  }

  function search(query) {
    var asked = ++current;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    more.hidden = true;
    var terms = [];
    query.split(/\s+/).map(fold).forEach(function (t) {
      if (t.length > 0 && terms.indexOf(t) < 0) { terms.push(t); }
    });
    if (terms.length === 0) { count.textContent = ""; return; }
    count.textContent = "正在查找……";
    var groups = Math.ceil(meta.docs / meta.group);
    var needed = {};
    terms.forEach(function (t) {
      gramsOf(t).forEach(function (gram) {
        for (var g = 0; g < groups; g++) { needed[g * meta.buckets + bucket(gram)] = true; }
      });
    });
    loadAll(Object.keys(needed).map(function (k) { return ["t", Number(k)]; }), function () {
      if (asked !== current) { return; }
      var found = null, score = {};
      terms.forEach(function (t) {
        var ids = holding(gramsOf(t), "body", groups);
        found = found === null ? ids : intersect(found, ids);
        holding(gramsOf(t), "title", groups).forEach(function (id) {
          score[id] = (score[id] || 0) + 1;
        });
      });
      found.sort(function (a, b) { return (score[b] || 0) - (score[a] || 0) || a - b; });
      // Words of three characters or more are found by their pairs: each page is checked
      // against its text when it is shown.
      var exact = terms.every(function (t) { return Array.from(t).length <= 2; });
      var total = found.length;
      say(total, exact);
      var next = 0;
      var page = function () {
        var ids = found.slice(next, next + PAGE);
        next += ids.length;
        var keys = {};
        ids.forEach(function (id) { keys[Math.floor(id / meta.per)] = true; });
        loadAll(Object.keys(keys).map(function (k) { return ["d", Number(k)]; }), function () {
          if (asked !== current) { return; }
          ids.forEach(function (id) {
            var d = doc(id);
            if (!d) { return; }
            var all = fold(d[0]) + fold(d[3]);
            if (terms.every(function (t) { return all.indexOf(t) >= 0; })) {
              show(d, terms);
            } else {
              total -= 1;
            }
          });
          if (next >= found.length) { exact = true; }
          say(total, exact);
          if (failed) { count.textContent += "（部分索引文件缺失，请重新发布网站）"; }
          more.hidden = next >= found.length;
          // A page whose candidates all failed the check: show the next ones.
          if (!list.firstChild && next < found.length) { page(); }
        });
      };
      more.onclick = page;
      page();
    });
  }

  input.addEventListener("input", function () { search(input.value); });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; }
  search(input.value);
})();

// Site search: works from a folder (file://) and from a server, with no request beyond the
// site's own two scripts. The index (search/index.js) is written at publish time.
(function () {
  "use strict";
  var entries = window.SIBAI_SEARCH || [];
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var count = document.getElementById("count");
  var root = document.documentElement.getAttribute("data-root") || "";

  function fold(s) {
    // Full-width letters and digits as ASCII, lower case, no spaces.
    return s.replace(/[\uFF01-\uFF5E]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    }).replace(/\s+/g, "").toLowerCase();
  }

  function snippet(text, term) {
    var i = fold(text).indexOf(term);
    if (i < 0) { return text.slice(0, 60); }
    var start = Math.max(0, i - 20);
    return (start > 0 ? "…" : "") + text.slice(start, start + 70) + "…";
  }

  function search(query) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var terms = query.split(/\s+/).map(fold).filter(function (t) { return t.length > 0; });
    if (terms.length === 0) { count.textContent = ""; return; }
    var found = [];
    entries.forEach(function (e) {
      var title = fold(e.t), all = title + fold(e.x);
      if (terms.every(function (t) { return all.indexOf(t) >= 0; })) {
        var score = terms.filter(function (t) { return title.indexOf(t) >= 0; }).length;
        found.push({ e: e, score: score });
      }
    });
    found.sort(function (a, b) { return b.score - a.score; });
    count.textContent = found.length === 0 ? "没有找到相关内容。" : "找到 " + found.length + " 项：";
    found.slice(0, 50).forEach(function (f) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + f.e.u;
      a.textContent = f.e.t;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = f.e.k;
      var p = document.createElement("p");
      p.textContent = snippet(f.e.x, terms[0]);
      li.appendChild(kind);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  input.addEventListener("input", function () { search(input.value); });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; }
  search(input.value);
})();

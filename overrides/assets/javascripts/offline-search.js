/* Search for the offline copies (scripts/mdma_guide/offline.py), which are opened from file://.
   Material's search needs a Web Worker and an XHR of its index, and browsers refuse both
   from file://. This script drives the same search box and result list instead: the index
   (search/search_index.js, a plain script assigning window.__guideOfflineIndex) is loaded the
   first time the reader opens search; every word of the query must begin a word of a page
   section (accents folded, a few common endings trimmed), titles rank first. Only the
   offline copies load this file; the published site keeps Material's search. */
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.querySelector("[data-guide-offline-search]");
  if (!script || !box) return;
  var input = box.querySelector(".md-search__input");
  var list = box.querySelector(".md-search-result__list");
  var meta = box.querySelector(".md-search-result__meta");
  var toggle = document.getElementById("__search");
  var form = box.querySelector("form");
  if (!input || !list || !meta || !toggle) return;
  var root = script.getAttribute("data-root") || "";
  var lang = document.documentElement.lang || "en";
  var ENDINGS = {
    en: ["ing", "es", "ed", "s"],
    es: ["ciones", "cion", "es", "as", "os", "a", "o", "s"],
    de: ["ungen", "ung", "en", "er", "e", "n", "s"]
  };
  var strings = {};
  try {
    strings = JSON.parse(document.getElementById("__config").textContent).translations || {};
  } catch (error) {
    strings = {};
  }
  var docs = null;
  var loading = false;
  var timer = null;

  function say(key, count, fallback) {
    var text = strings[key] || fallback;
    return count === undefined ? text : text.replace("#", String(count));
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss").toLowerCase();
  }

  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(Boolean);
  }

  function stem(word) {
    var endings = ENDINGS[lang.slice(0, 2)] || ENDINGS.en;
    for (var i = 0; i < endings.length; i += 1) {
      var end = endings[i];
      if (word.length - end.length >= 4 && word.slice(-end.length) === end) {
        return word.slice(0, -end.length);
      }
    }
    return word;
  }

  function prepare(index) {
    docs = (index.docs || []).map(function (doc) {
      return {
        location: doc.location || "",
        title: doc.title || "",
        text: doc.text || "",
        t: " " + words(doc.title || "").join(" "),
        x: " " + words(doc.text || "").join(" ")
      };
    });
    run();
  }

  function load() {
    if (docs || loading) return;
    if (window.__guideOfflineIndex) {
      prepare(window.__guideOfflineIndex);
      return;
    }
    loading = true;
    var tag = document.createElement("script");
    tag.src = script.getAttribute("data-index");
    tag.onload = function () {
      loading = false;
      prepare(window.__guideOfflineIndex || { docs: [] });
    };
    tag.onerror = function () {
      loading = false;
      docs = [];
      run();
    };
    document.head.appendChild(tag);
  }

  function count(haystack, needle) {
    var n = 0;
    var at = haystack.indexOf(needle);
    while (at !== -1 && n < 10) {
      n += 1;
      at = haystack.indexOf(needle, at + needle.length);
    }
    return n;
  }

  function snippet(text, term) {
    var at = fold(text).indexOf(term);
    var start = Math.max(0, at - 60);
    var space = text.indexOf(" ", start);
    if (start > 0 && space !== -1 && space < at) start = space + 1;
    var cut = text.slice(start, start + 220);
    return (start > 0 ? "… " : "") + cut + (start + 220 < text.length ? " …" : "");
  }

  function render(results, terms) {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!terms.length) {
      meta.textContent = say("search.result.placeholder", undefined, "Type to start searching");
      return;
    }
    if (!results.length) {
      meta.textContent = say("search.result.none", undefined, "No matching documents");
    } else if (results.length === 1) {
      meta.textContent = say("search.result.one", undefined, "1 matching document");
    } else {
      meta.textContent = say("search.result.other", results.length, "# matching documents");
    }
    results.slice(0, 30).forEach(function (doc) {
      var item = document.createElement("li");
      item.className = "md-search-result__item";
      var link = document.createElement("a");
      var target = doc.location;
      var hash = target.indexOf("#");
      var path = hash === -1 ? target : target.slice(0, hash);
      var fragment = hash === -1 ? "" : target.slice(hash);
      link.href = root + path + (path === "" || path.slice(-1) === "/" ? "index.html" : "") + fragment;
      link.className = "md-search-result__link";
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var heading = document.createElement(hash === -1 ? "h1" : "h2");
      heading.textContent = doc.title;
      var text = document.createElement("p");
      text.textContent = snippet(doc.text, terms[0]);
      article.appendChild(heading);
      article.appendChild(text);
      link.appendChild(article);
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function run() {
    var terms = words(input.value).filter(function (w) { return w.length > 1; }).map(stem);
    if (!docs) {
      if (terms.length) load();
      return;
    }
    var results = [];
    docs.forEach(function (doc) {
      var score = 0;
      for (var i = 0; i < terms.length; i += 1) {
        var needle = " " + terms[i];
        var inTitle = count(doc.t, needle);
        var inText = count(doc.x, needle);
        if (!inTitle && !inText) return;
        score += (inTitle ? 50 : 0) + Math.min(inText, 10);
      }
      results.push({ doc: doc, score: score });
    });
    results.sort(function (a, b) { return b.score - a.score; });
    render(results.map(function (r) { return r.doc; }), terms);
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    load();
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 120);
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      load();
      input.focus();
    }
  });
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = list.querySelector("a");
      if (first) first.click();
    });
    form.addEventListener("reset", function () {
      window.setTimeout(run, 0);
    });
  }
  box.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("a")) toggle.checked = false;
  });
  document.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (event.key === "Escape" && toggle.checked) {
      close();
      return;
    }
    var active = document.activeElement;
    var typing = active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
    if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
      event.preventDefault();
      open();
      input.focus();
    }
  });
})();

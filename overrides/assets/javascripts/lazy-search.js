/* Fetch the search index only when the reader starts a search.
   Material for MkDocs requests the whole index (about 160 kB compressed) on every first page
   view; most readers never search, many read on metered mobile data. This script, loaded
   before the theme's bundle, holds that one request back until the search box is focused or
   opened, then lets it through unchanged.
   It also starts the guide's search worker (workers/guide-search.js: the language's stemmer and
   stop words applied to queries) in place of Material's, which that worker loads itself. */
(function () {
  "use strict";
  var INDEX = /search\/search_index\.json(\?|#|$)/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var armed = false;
  var waiting = [];

  function arm() {
    if (armed) return;
    armed = true;
    waiting.splice(0).forEach(function (run) { run(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.guideDeferred = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (request.guideDeferred && !armed) {
      waiting.push(function () { send.apply(request, args); });
      return undefined;
    }
    return send.apply(request, args);
  };

  var MATERIAL_WORKER = /(^|\/)workers\/(search\.[0-9a-f]+\.min\.js)$/;
  var Worker = window.Worker;
  if (Worker && location.protocol !== "file:") {
    window.Worker = function (url, options) {
      var match = MATERIAL_WORKER.exec(String(url));
      if (match) url = String(url).replace(MATERIAL_WORKER, "$1workers/guide-search.js#$2");
      return new Worker(url, options);
    };
    window.Worker.prototype = Worker.prototype;
  }

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains("md-search__input")) arm();
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) arm();
  });
})();

/* Fetch search only when the reader starts a search.
   Material for MkDocs requests the whole index (about 160 kB compressed) and starts its search
   worker (about 12 kB compressed) on every first page view; most readers never search, many
   read on metered mobile data. This script, loaded before the theme's bundle, holds both back
   until the search box is focused or opened, then lets them through unchanged: the index
   request is sent as it was, and the worker is started, its messages passed both ways.
   The worker started is the guide's (workers/guide-search.js: the language's stemmer and stop
   words applied to queries), which loads Material's own worker inside itself. */
(function () {
  "use strict";
  var INDEX = /search\/search_index\.json(\?|#|$)/;
  var WORKER = /(^|\/)workers\/(search\.[0-9a-f]+\.min\.js)$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var NativeWorker = window.Worker;
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

  /* The theme talks to its worker only through postMessage and "message" events, so a
     stand-in that queues the first and relays the second is all it sees until search starts. */
  function DeferredWorker(url, options) {
    var stand = new EventTarget();
    var queue = [];
    var worker = null;
    stand.postMessage = function (data) {
      if (worker) worker.postMessage(data);
      else queue.push(data);
    };
    stand.terminate = function () {
      queue = [];
      if (worker) worker.terminate();
    };
    waiting.push(function () {
      worker = new NativeWorker(url, options);
      ["message", "messageerror", "error"].forEach(function (type) {
        worker.addEventListener(type, function (event) {
          var copy = type === "error" ? new Event("error") : new MessageEvent(type, { data: event.data });
          stand.dispatchEvent(copy);
        });
      });
      queue.splice(0).forEach(function (data) { worker.postMessage(data); });
    });
    return stand;
  }

  if (NativeWorker && location.protocol !== "file:") {
    window.Worker = function (url, options) {
      if (!WORKER.test(String(url))) return new NativeWorker(url, options);
      url = String(url).replace(WORKER, "$1workers/guide-search.js#$2");
      if (armed) return new NativeWorker(url, options);
      return DeferredWorker(url, options);
    };
    window.Worker.prototype = NativeWorker.prototype;
  }

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains("md-search__input")) arm();
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) arm();
  });
})();

/* The guide's search worker: Material for MkDocs' own worker (named after the "#"), with each
   query analysed the way the language's index was built.

   Material indexes every word through the language's pipeline (lunr-languages: trimmer, stop
   words, stemmer), but it appends "*" to every query word, and Lunr skips the pipeline for
   wildcard words: stop words ("de", "la", "in") then match as prefixes of everything
   ("Dependencia", "Integration") and a full word never meets its stem. Here each query word
   goes through the same pipeline first: stop words are dropped and the stem is searched; the
   last word also as a prefix, so that results appear while the reader types.
   lazy-search.js starts this worker in place of Material's; everything else is Material's. */
(function () {
  "use strict";
  var SETUP = 0;
  var QUERY = 2;
  var PREFIX_MIN = 4; // shorter stems match whole words only
  var WHOLE_WORD = 10; // a whole-word match outweighs a prefix match
  var material = decodeURIComponent(self.location.hash.slice(1));
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(material)) throw new Error("guide-search: " + material);

  /* Keep Material's message handler so that queries can be rewritten before it sees them. */
  var handlers = [];
  var addEventListener = self.addEventListener;
  self.addEventListener = function (type, fn, options) {
    if (type === "message") handlers.push(fn);
    else addEventListener.call(self, type, fn, options);
  };
  importScripts(material);
  self.addEventListener = addEventListener;

  /* Question words: readers type questions ("cuánta agua beber"), pages rarely use these
     words for what they are about; lunr-languages' stop-word lists keep some of them. */
  var QUESTION_WORDS = {
    en: "how much many what when where which who why whom whose",
    es: "cómo como cuánto cuánta cuántos cuántas cuanto cuanta cuantos cuantas qué que " +
      "cuándo cuando dónde donde cuál cuáles cual cuales quién quiénes por",
    de: "wie viel viele was wann wo warum wieso weshalb welche welcher welches wer wen wem"
  };
  var config = null;
  var questionWords = {};
  var pipeline = null;

  /* After Material's setup has loaded the language's lunr-languages scripts. */
  function analyser() {
    if (pipeline || !config || !self.lunr) return pipeline;
    var lang = (config.lang || ["en"])[0];
    questionWords = {};
    (QUESTION_WORDS[lang] || "").split(" ").forEach(function (w) { questionWords[w] = true; });
    var steps = [];
    var ns = lang === "en" ? self.lunr : self.lunr[lang];
    (config.pipeline || []).forEach(function (name) {
      if (ns && typeof ns[name] === "function") steps.push(ns[name]);
    });
    pipeline = steps;
    return pipeline;
  }

  function analyse(word) {
    var tokens = [new self.lunr.Token(word, {})];
    for (var i = 0; i < pipeline.length && tokens.length; i++) {
      var out = [];
      for (var j = 0; j < tokens.length; j++) {
        var result = pipeline[i](tokens[j], j, tokens);
        if (result === undefined || result === null || result === "") continue;
        out = out.concat(Array.isArray(result) ? result : [result]);
      }
      tokens = out;
    }
    return tokens.map(String).filter(Boolean);
  }

  /* One query string to another: lunr syntax (+, -, ~, ^, :, *, quotes) is left as typed.
     Every word is searched as its stem (whole word: the reader typed it); the last word may
     still be being typed, so its stem is also searched as a prefix, at a lower weight, when
     it is long enough. */
  function rewrite(query) {
    if (!analyser() || typeof query !== "string" || /["*~^:+]|(^|\s)-/.test(query)) return query;
    var separator = self.lunr.tokenizer.separator || /[\s\-]+/;
    var words = query.toLowerCase().split(separator).filter(Boolean);
    var terms = [];
    function add(term) { if (terms.indexOf(term) < 0) terms.push(term); }
    var asked = words.filter(function (word) { return !questionWords[word]; });
    if (asked.length) words = asked;
    words.forEach(function (word, i) {
      analyse(word).forEach(function (stem) {
        add(stem + "^" + WHOLE_WORD);
        if (i === words.length - 1 && stem.length >= PREFIX_MIN) add(stem + "*");
      });
    });
    return terms.length ? terms.join(" ") : query;
  }

  addEventListener.call(self, "message", function (event) {
    var message = event.data;
    if (message && message.type === SETUP) {
      config = message.data.config;
      pipeline = null;
    }
    if (message && message.type === QUERY) message = { type: QUERY, data: rewrite(message.data) };
    handlers.forEach(function (fn) { fn({ data: message }); });
  });
})();

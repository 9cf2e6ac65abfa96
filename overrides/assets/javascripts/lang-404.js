/* Static hosts such as GitHub Pages serve one /404.html for every missing path. When that
   page is the default language's but the missing path is under /es/ or /de/, show that
   language's not-found page instead. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="guide-404"]');
  if (!meta) return;
  var base = meta.getAttribute("data-base");
  var here = document.documentElement.lang;
  meta.getAttribute("content").split(" ").forEach(function (lang) {
    if (lang && lang !== here && location.pathname.indexOf(base + lang + "/") === 0) {
      location.replace(base + lang + "/404.html");
    }
  });
})();

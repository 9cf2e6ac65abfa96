/* Quick exit: leave the guide for a neutral page at once (issue #18).
   The button is a plain link to the neutral page, so it works without this script. With it:
   - the guide's page is replaced in the history (location.replace), so Back does not return;
   - the settings the guide saved in this browser (Material's theme and search state, keys
     under the site's path) are deleted first;
   - the page is blanked at once, before the neutral page has loaded;
   - pressing Shift on its own 3 times within 5 seconds does the same; a screen reader hears
     how many presses are left. Shift held for a capital letter or Shift+Tab does not count,
     and any other key starts the count again.
   No request is made by the guide: the reader's browser navigates to the neutral page. */
(function () {
  "use strict";
  var root = document.querySelector("[data-guide-exit]");
  if (!root) return;
  var button = root.querySelector(".guide-exit__button");
  var hint = root.querySelector(".guide-exit__hint");
  var status = root.querySelector(".guide-exit__status");
  var data = root.dataset;
  var needed = parseInt(data.presses, 10) || 3;
  var windowMs = parseInt(data.window, 10) || 5000;
  var count = 0;
  var timer = null;
  var combined = false;

  function say(text) {
    status.textContent = text || "";
  }

  function reset() {
    count = 0;
    if (timer) window.clearTimeout(timer);
    timer = null;
    button.removeAttribute("data-count");
  }

  function forget() {
    var prefix = data.root || "/";
    [window.localStorage, window.sessionStorage].forEach(function (store) {
      try {
        for (var i = store.length - 1; i >= 0; i -= 1) {
          var key = store.key(i);
          if (key && key.indexOf(prefix) === 0 && key.indexOf(".__") !== -1) store.removeItem(key);
        }
      } catch (error) {
        /* storage disabled: nothing was saved */
      }
    });
  }

  function leave(event) {
    if (event) event.preventDefault();
    reset();
    forget();
    document.documentElement.classList.add("guide-exiting");
    say(data.leaving);
    window.location.replace(button.href);
  }

  button.addEventListener("click", leave);
  if (hint) {
    hint.hidden = false;
    button.setAttribute("aria-describedby", hint.id);
  }

  document.addEventListener(
    "keydown",
    function (event) {
      if (event.key === "Shift") {
        if (!event.repeat) combined = false;
        return;
      }
      combined = true;
      if (count) {
        reset();
        say("");
      }
    },
    true
  );

  document.addEventListener(
    "keyup",
    function (event) {
      if (event.key !== "Shift") return;
      if (combined) {
        combined = false;
        return;
      }
      count += 1;
      if (count >= needed) {
        leave();
        return;
      }
      if (count === 1) {
        timer = window.setTimeout(function () {
          reset();
          say(data.expired);
        }, windowMs);
      }
      button.setAttribute("data-count", String(count));
      say(needed - count === 1 ? data.pressOne : data.pressTwo);
    },
    true
  );

  // A page restored from the back-forward cache must not stay blank.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.documentElement.classList.remove("guide-exiting");
    reset();
    say("");
  });
})();

// jiuye: a gig board (大屏) keeps itself current. The server says over an event stream when
// gigs changed; the board then fetches its list. Without this file the board shows what was
// open when it was loaded.
(function () {
  "use strict";
  var list = document.getElementById("gigs");
  var stamp = document.getElementById("as-of");
  if (!list || !window.EventSource) { return; }
  var base = list.getAttribute("data-src");
  function refresh() {
    fetch(base, { headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        list.innerHTML = html;
        if (stamp) { stamp.textContent = new Date().toLocaleTimeString(); }
        document.body.setAttribute("data-updates", String(Number(document.body.getAttribute("data-updates") || "0") + 1));
      });
  }
  var events = new EventSource(list.getAttribute("data-events"));
  events.addEventListener("gigs", refresh);
  events.addEventListener("open", function () { document.body.setAttribute("data-live", "1"); });
})();

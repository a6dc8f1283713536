// jiuye: progressive enhancement only. Inputs marked data-typeahead="occupations" get
// suggestions from /api/v1/codes/occupations while typing; the form works without this file.
(function () {
  "use strict";
  // Phones: the header's menu folds behind a button (CSS shows the button only on narrow screens).
  var header = document.querySelector("header.top");
  var toggle = document.getElementById("menu-toggle");
  if (header && toggle) {
    header.classList.add("js");
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  function debounce(fn, ms) {
    var t;
    return function () { var a = arguments; clearTimeout(t); t = setTimeout(function () { fn.apply(null, a); }, ms); };
  }
  document.querySelectorAll('input[data-typeahead="occupations"]').forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    input.addEventListener("input", debounce(function () {
      // Suggest for the last comma-separated entry.
      var parts = input.value.split(/[,，、\s]+/);
      var q = parts[parts.length - 1].trim();
      if (q.length < 1 || /^[0-9-]+$/.test(q)) { return; }
      fetch("/api/v1/codes/occupations?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          list.textContent = "";
          items.slice(0, 20).forEach(function (o) {
            var opt = document.createElement("option");
            opt.value = o.code;
            opt.label = o.name;
            opt.textContent = o.name;
            list.appendChild(opt);
          });
        })
        .catch(function () { /* suggestions are optional */ });
    }, 200));
  });
})();
// Search box: suggestions of titles and occupations (Chinese or pinyin) while typing.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer;
    if (!list) { return; }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (!q) { return; }
        fetch("/api/v1/vacancies/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            list.textContent = "";
            items.forEach(function (s) {
              var opt = document.createElement("option");
              opt.value = s;
              list.appendChild(opt);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 150);
    });
  });
})();
// Profile: "use my current location" fills the coordinates from the device (the browser asks
// first) and sends them; the server keeps only the ~0.1 km² cell holding the point.
(function () {
  "use strict";
  var button = document.getElementById("origin-locate");
  var form = document.getElementById("origin-form");
  if (!button || !form || !navigator.geolocation) { return; }
  var status = document.getElementById("origin-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.getAttribute("data-locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("latitude").value = pos.coords.latitude.toFixed(5);
      document.getElementById("longitude").value = pos.coords.longitude.toFixed(5);
      var save = document.getElementById("origin-save");
      if (form.requestSubmit) { form.requestSubmit(save); } else { save.click(); }
    }, function () {
      status.textContent = button.getAttribute("data-denied");
      document.getElementById("origin-manual").open = true;
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
})();

// jiuye: progressive enhancement only. Inputs marked data-typeahead="occupations" get
// suggestions from /api/v1/codes/occupations while typing; the form works without this file.
(function () {
  "use strict";
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

// The report's only script (allowed by its hash in the CSP): filter checks by status and area, keep
// the "showing n of N" count, hide sections left empty, and open the collapsed group a link points
// into. Without it, everything is simply shown.
export const FILTER_SCRIPT = `(function () {
  var bar = document.getElementById('filter');
  if (!bar) return;
  bar.hidden = false;
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-status]'));
  var area = document.getElementById('filter-area');
  var shown = document.getElementById('filter-shown');
  function apply() {
    var statuses = {};
    Array.prototype.forEach.call(bar.querySelectorAll('input[type=checkbox]'), function (box) { statuses[box.value] = box.checked; });
    var n = 0;
    items.forEach(function (el) {
      var visible = statuses[el.getAttribute('data-status')] !== false && (!area.value || el.getAttribute('data-area') === area.value);
      el.hidden = !visible;
      if (visible) n++;
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-filterable]'), function (box) {
      box.hidden = !box.querySelector('[data-status]:not([hidden])');
    });
    shown.textContent = 'showing ' + n + ' of ' + items.length + ' checks';
  }
  bar.addEventListener('change', apply);
  Array.prototype.forEach.call(document.querySelectorAll('button[data-area]'), function (b) {
    b.addEventListener('click', function () { area.value = b.getAttribute('data-area'); apply(); bar.scrollIntoView({ block: 'start' }); });
  });
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    for (var p = el; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
    if (el) el.scrollIntoView({ block: 'center' });
  }
  window.addEventListener('hashchange', reveal);
  reveal();
  apply();
})();`;

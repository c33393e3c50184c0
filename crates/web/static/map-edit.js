// Drawing the walking map on a tablet or phone: a tap on the map fills in the longitude and
// latitude of the "place a node" form; a tap on a node fills in the "connect" form's ends (and
// the node's id, to move or remove it). Pointer events, so a finger, a pen and a mouse all draw;
// Enter or Space on a focused node picks it. Without this script every form still works typed.
(function () {
  var svg = document.getElementById('walk-map');
  if (!svg) return;
  var w = parseFloat(svg.dataset.west), n = parseFloat(svg.dataset.north);
  var xd = parseFloat(svg.dataset.xdeg), yd = parseFloat(svg.dataset.ydeg), m = parseFloat(svg.dataset.margin);
  var next = 'c-from';
  function set(id, v) { var el = document.getElementById(id); if (el) el.value = v; }
  function pick(id) {
    set(next, id);
    next = next === 'c-from' ? 'c-to' : 'c-from';
    set('p-id', id); set('r-id', id);
  }
  function place(clientX, clientY) {
    var pt = svg.createSVGPoint();
    pt.x = clientX; pt.y = clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    set('p-lon', (w + (p.x - m) / xd).toFixed(7));
    set('p-lat', (n - (p.y - m) / yd).toFixed(7));
  }
  svg.addEventListener('pointerup', function (ev) {
    if (ev.button > 0) return;
    var node = ev.target.closest ? ev.target.closest('[data-id]') : null;
    if (node) pick(node.getAttribute('data-id'));
    else place(ev.clientX, ev.clientY);
  });
  svg.addEventListener('keydown', function (ev) {
    if ((ev.key === 'Enter' || ev.key === ' ') && ev.target.dataset && ev.target.dataset.id) {
      ev.preventDefault();
      pick(ev.target.dataset.id);
    }
  });
})();

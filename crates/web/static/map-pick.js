// Choosing a request's place on a phone: a tap on the map selects the nearest named place (a
// building's entrance also selects its building) and says which was chosen. Pointer events, so a
// finger, a pen and a mouse all pick. Without this script the two selects above still work.
(function () {
  var svg = document.getElementById('walk-map');
  var node = document.getElementById('q-node');
  if (!svg || !node) return;
  var building = document.getElementById('q-building');
  var said = document.getElementById('picked');
  var places = Array.prototype.slice.call(svg.querySelectorAll('[data-id]'));
  function centre(el) {
    var b = el.getBBox();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  }
  svg.addEventListener('pointerup', function (ev) {
    if (ev.button > 0 || !places.length) return;
    var pt = svg.createSVGPoint();
    pt.x = ev.clientX; pt.y = ev.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    var best = null, bestD = Infinity;
    places.forEach(function (el) {
      var c = centre(el), d = (c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y);
      if (d < bestD) { bestD = d; best = el; }
    });
    var id = best.getAttribute('data-id');
    node.value = id;
    var b = best.getAttribute('data-building');
    if (b && building) building.value = b;
    if (said) said.textContent = '✓ ' + id + (b ? '（' + b + '）' : '');
    places.forEach(function (el) { el.classList.toggle('picked', el === best); });
  });
})();

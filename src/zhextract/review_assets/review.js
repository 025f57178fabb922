// Label filters: unticking a label removes its highlights and hides its table rows.
(function () {
  var boxes = document.querySelectorAll("input[data-filter]");
  var targets = document.querySelectorAll("mark.span, tr[data-label]");
  function apply(box) {
    var label = box.getAttribute("data-filter");
    for (var i = 0; i < targets.length; i++) {
      if (targets[i].getAttribute("data-label") === label) {
        targets[i].classList.toggle("off", !box.checked);
      }
    }
  }
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener("change", function (event) { apply(event.target); });
    apply(boxes[i]);
  }
})();

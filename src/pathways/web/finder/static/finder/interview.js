// After htmx swaps in the next question (or the result), the focus would stay where it was, or on
// a control of the same id in the new page: a screen reader would not read the new question. Move
// it to the new page's heading (focusable by script only), or to the first answer when the answer
// given was refused, so that the question (or the error) is announced and Tab goes on from there.
document.addEventListener('htmx:afterSettle', function (event) {
  var main = document.getElementById('main');
  if (!main || !event.target.contains(main)) return; // a swap that left the page's <main> alone
  var error = main.querySelector('#error');
  var target = error ? main.querySelector('form#question [name=answer]:not([type=hidden])') : main.querySelector('h1');
  if (!target) return;
  if (!error && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
});

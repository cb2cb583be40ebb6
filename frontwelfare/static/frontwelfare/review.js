// The annual review (households/annual_review.html): "keep last year's status for all" puts every
// row's select back to last year's poor or near-poor status (data-kept; "" for the others).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-review-keep-all]");
  if (!button) return;
  for (const select of button.form.querySelectorAll("select[data-kept]")) {
    select.value = select.dataset.kept;
  }
});

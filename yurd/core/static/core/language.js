// Submit the language switcher as soon as a language is chosen (no inline handler, for the CSP).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-submit-on-change]")) event.target.form.submit();
});

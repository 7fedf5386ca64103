// "Add member" without a round trip: copies the empty row kept in a <template> and counts
// it in the formset's TOTAL_FORMS. Without this script the button submits the form, and
// the page comes back with one more row.
(() => {
  const button = document.querySelector("[data-add-member]");
  const template = document.querySelector("template[data-member-template]");
  const rows = document.querySelector("[data-members]");
  const total = document.querySelector("input[name$='-TOTAL_FORMS']");
  const maximum = document.querySelector("input[name$='-MAX_NUM_FORMS']");
  if (!button || !template || !rows || !total) return;
  // Enter in a field submits the form ("Next"), not this button.
  button.type = "button";
  button.addEventListener("click", () => {
    const index = Number(total.value);
    if (maximum && index >= Number(maximum.value)) return;
    const html = template.innerHTML.replaceAll("__prefix__", String(index)).replaceAll("__number__", String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = rows.lastElementChild;
    const roles = (template.dataset.defaultRoles || "").split(" ").filter(Boolean);
    const role = added && added.querySelector("select[name$='-household_role']");
    if (role && roles.length) role.value = roles[Math.min(index, roles.length - 1)];
    const first = added && added.querySelector("input, select");
    if (first) first.focus();
  });
})();

// The main menu works without this file (<details> opens and closes by itself); this only
// makes its group menus behave like drop-downs: one open at a time, closed by Escape
// or a click elsewhere.
(() => {
  const menus = () => document.querySelectorAll(".nav-group-menu[open]");
  document.addEventListener("toggle", (event) => {
    const opened = event.target;
    if (!opened.matches || !opened.matches(".nav-group-menu") || !opened.open) return;
    for (const other of menus()) if (other !== opened) other.open = false;
  }, true);
  document.addEventListener("click", (event) => {
    for (const menu of menus()) if (!menu.contains(event.target)) menu.open = false;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of menus()) {
      menu.open = false;
      if (menu.contains(document.activeElement)) menu.querySelector("summary").focus();
    }
  });
})();

// Tables become cards on phones: each cell gets its column's heading as data-label, and
// the table the class "stacked" (styled in yurd.css below 40rem), so every column stays
// visible without scrolling sideways. A table marked data-table="plain" stays a table.
// Without this script a wide table scrolls inside its focusable .table-wrap.
(() => {
  const text = (cell) => cell.textContent.replace(/\s+/g, " ").trim();
  for (const table of document.querySelectorAll("main table")) {
    if (table.dataset.table === "plain" || !table.tHead) continue;
    const headRow = table.tHead.rows[table.tHead.rows.length - 1];
    if (!headRow || headRow.cells.length < 3) continue;
    const labels = [];
    for (const cell of headRow.cells) {
      for (let span = 0; span < (cell.colSpan || 1); span += 1) labels.push(text(cell));
    }
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const label = labels[column];
          if (label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
          column += cell.colSpan || 1;
        }
      }
    }
    // Explicit roles: a table laid out as blocks keeps its table semantics for screen readers.
    table.setAttribute("role", "table");
    for (const row of table.rows) {
      row.setAttribute("role", "row");
      for (const cell of row.cells) {
        if (cell.tagName === "TH") cell.setAttribute("role", cell.closest("thead") ? "columnheader" : "rowheader");
        else cell.setAttribute("role", "cell");
      }
    }
    for (const group of [table.tHead, ...table.tBodies, table.tFoot]) if (group) group.setAttribute("role", "rowgroup");
    table.classList.add("stacked");
  }
})();

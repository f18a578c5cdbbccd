// The print button on the table cards (no inline scripts: the CSP forbids them).
document.getElementById("print")?.addEventListener("click", () => window.print());

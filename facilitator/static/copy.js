// Copy buttons: data-copy names the input whose value is copied; data-done is the server's
// translated "Copied", shown in the button's status line (no inline scripts: the CSP forbids them).
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById(`${button.id}-status`);
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = button.dataset.done;
    } catch {
      // No clipboard (plain http on a LAN address): the text stays selected for Ctrl+C.
    }
  });
}

// Small progressive enhancements; every page works without them.
// No select acts on change (WCAG 3.2.2): a choice takes effect with its form's button.

// Text check (AVG-4): "Vervang door 'een medeleerling'" replaces the flagged name in its field,
// as a whole word, and lets the check run again.
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-text-check-replace]");
  if (!button) return;
  const field = document.getElementById(button.dataset.field);
  if (!field) return;
  const escaped = button.dataset.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const word = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "gu");
  const replacement = button.dataset.replacement;
  field.value = field.value.replace(word, (match, offset, whole) => {
    const before = whole.slice(0, offset);
    const startsSentence = /(^|[.!?]\s+|\n\s*)$/.test(before);
    return startsSentence ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement;
  });
  field.dispatchEvent(new Event("input", { bubbles: true }));
  field.focus();
});

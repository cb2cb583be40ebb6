// Date boxes (frontwelfare.forms.DateInput) are typed as dd/mm/yyyy on the digit keypad, which has
// no slash: the slashes are added while typing ("12022026" becomes "12/02/2026"), and a day or
// month of one digit followed by a separator gets its zero ("1/2/2026" becomes "01/02/2026").
// Deleting is left alone, and so is an ISO date (2026-02-12), which the server also reads.
function formatDate(raw) {
  if (/^\d{4}-/.test(raw)) return raw;
  let digits = "";
  for (const char of raw) {
    if (char >= "0" && char <= "9") {
      digits += char;
    } else if (digits.length === 1 || digits.length === 3) {
      digits = digits.slice(0, -1) + "0" + digits.slice(-1);
    }
  }
  digits = digits.slice(0, 8);
  const parts = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)];
  return parts.filter((part, index) => index === 0 || part).join("/");
}

document.addEventListener("input", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches("input[data-date-input]")) return;
  if (event.inputType && !event.inputType.startsWith("insert")) return;
  const formatted = formatDate(box.value);
  if (formatted !== box.value) box.value = formatted;
});
